// Runs @doyensec/electronegativity's JS API over folders and writes its findings as JSON:
//   node electronegativity-runner.cjs <output.json> <electron version> <folder>...
// Run as its own process by electronegativity.test.ts, because it changes process-wide things:
// * All network use is blocked first. The tool fetches translations from S3 on every run and
//   Electron's release list from GitHub; a scan must not talk to anything.
// * `require('typescript')` from the tool's parser (@typescript-eslint/typescript-estree 4,
//   hoisted to the top node_modules) is sent to the TypeScript 4 the tool bundles: the project's
//   TypeScript 7 has no JS API, so the parser would not even load.
// * The tool's CLI is not used: it needs commander 2, and the project's commander 14 is hoisted.
'use strict';
const dns = require('node:dns');
const fs = require('node:fs');
const Module = require('node:module');
const net = require('node:net');
const path = require('node:path');

const blocked = [];
const blockedError = (what) =>
  Object.assign(new Error(`Network use is blocked while scanning (${what}).`), { code: 'ERR_NETWORK_BLOCKED' });
net.Socket.prototype.connect = function connect(...args) {
  const target = args[0] && typeof args[0] === 'object' ? (args[0].host ?? args[0].path) : args.slice(0, 2).join(':');
  blocked.push(`connect ${target}`);
  process.nextTick(() => this.destroy(blockedError(target)));
  return this;
};
dns.lookup = (hostname, options, callback) => {
  blocked.push(`dns ${hostname}`);
  const cb = typeof options === 'function' ? options : callback;
  process.nextTick(() => cb(blockedError(hostname)));
};
dns.promises.lookup = async (hostname) => {
  blocked.push(`dns ${hostname}`);
  throw blockedError(hostname);
};

const [outputFile, electronVersion, ...inputs] = process.argv.slice(2);
if (!outputFile || !electronVersion || inputs.length === 0) {
  console.error('usage: electronegativity-runner.cjs <output.json> <electron version> <folder>...');
  process.exit(2);
}

const toolDir = path.dirname(require.resolve('@doyensec/electronegativity/package.json', { paths: [process.cwd(), __dirname] }));
const bundledTypescript = path.join(toolDir, 'node_modules', 'typescript');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  if ((request === 'typescript' || request.startsWith('typescript/')) && fs.existsSync(bundledTypescript)) {
    return resolve.call(
      this,
      request,
      {
        ...parent,
        id: path.join(toolDir, 'index.js'),
        filename: path.join(toolDir, 'index.js'),
        paths: [path.join(toolDir, 'node_modules')],
      },
      ...rest,
    );
  }
  return resolve.call(this, request, parent, ...rest);
};

const toolExports = require(toolDir);
const run = toolExports.default ?? toolExports;
const { list_files: listFiles } = require(path.join(toolDir, 'dist', 'util'));
const toolVersion = require(path.join(toolDir, 'package.json')).version;

/** Checks left out: each needs the network, which a test must not use. */
const EXCLUDED = ['AvailableSecurityFixesGlobalCheck'];

(async () => {
  const results = [];
  for (const input of inputs) {
    const files = (await listFiles(input)).map((file) => path.relative(input, file)).sort();
    const scan = await run({ input, isRelative: true, electronVersionOverride: electronVersion, excludeFromScan: EXCLUDED });
    results.push({
      input,
      files,
      globalChecks: scan.globalChecks,
      atomicChecks: scan.atomicChecks,
      errors: scan.errors,
      issues: scan.issues.map((issue) => ({
        id: issue.id,
        file: issue.file,
        line: issue.location.line,
        column: issue.location.column,
        severity: issue.severity.name,
        confidence: issue.confidence.name,
        manualReview: issue.manualReview,
        description: issue.description,
        sample: issue.sample,
      })),
    });
  }
  fs.writeFileSync(outputFile, JSON.stringify({ tool: toolVersion, excluded: EXCLUDED, blocked, results }, null, 2));
})().catch((err) => {
  console.error(err?.stack ? err.stack : err);
  process.exit(1);
});
