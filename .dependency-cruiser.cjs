// The layer rules of docs/ARCHITECTURE.md, checked by `npm run check:layers` (part of `npm test`):
//   node scripts/depcruise.mjs src-main src-preload src-renderer
// scripts/depcruise.mjs is dependency-cruiser's CLI reading TypeScript with TypeScript 6 (7 has no
// JS API). test/static/layers.test.ts runs these rules over test/fixtures/layers, a small tree with
// one known-bad import per rule, so a rule that stops firing fails the tests.

/**
 * Room → transfer imports that exist today. "The room imports no feature" (docs/ARCHITECTURE.md,
 * pattern 11) does not hold yet: the room still knows file transfer. Each pair listed here may go
 * away; no pair may be added. When a file's last pair goes, delete its line.
 */
const ROOM_IMPORTS_TODAY = {
  'wire/features.ts': ['transfer-messages.ts'],
  'link/host-link.ts': ['chunk-frame.ts', 'transfer-messages.ts'],
  'link/peer-connection.ts': ['transfer-messages.ts'],
  'wire/protocol.ts': ['transfer-messages.ts'],
  'room/room-client.ts': ['chat-pacer.ts', 'file-transfers.ts', 'member-link.ts', 'transfer-messages.ts', 'ws-hub-link.ts'],
  'room/room-host.ts': ['chunk-frame.ts', 'file-transfers.ts', 'host-transfers.ts', 'transfer-messages.ts'],
  'room/session-events.ts': ['file-transfers.ts'],
};

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const anyOf = (names) => `(${names.map(escape).join('|')})`;

const ELECTRON = ['^electron$', '(^|/)node_modules/electron/'];
const APP_CODE = '^src-(main|preload|renderer)/';

const roomComment =
  'The room (src-main/room/) imports nothing else of the app: features plug into it through ' +
  'their own registration (docs/ARCHITECTURE.md, pattern 11). Only the room → transfer imports ' +
  'listed in ROOM_IMPORTS_TODAY in .dependency-cruiser.cjs are tolerated, until the room stops ' +
  'knowing file transfer; do not add to that list.';

module.exports = {
  forbidden: [
    {
      name: 'electron-only-in-app',
      comment:
        'Only src-main/app/ imports electron, and the preload bridge src-preload/preload.ts. ' +
        'Everything else is plain Node or browser code that runs the same in the CLI and in tests.',
      severity: 'error',
      from: { pathNot: ['^src-main/app/', '^src-preload/preload\\.ts$'] },
      to: { path: ELECTRON },
    },
    {
      name: 'renderer-imports-renderer-and-contract',
      comment:
        'The renderer (src-renderer/) imports only src-renderer/ and the contract modules ' +
        'src-preload/contract.ts and src-preload/domain-values.ts (plus npm packages), type-only ' +
        'imports included: never the preload bridge (preload.ts, api.ts) or src-main. A new ' +
        'Electron-free module beside the contract goes into this rule\'s list.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: {
        pathNot: ['^src-renderer/', '^src-preload/(contract|domain-values)\\.ts$', '(^|/)node_modules/'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer has no Node: it asks the main side for everything through the bridge.',
      severity: 'error',
      from: { path: '^src-renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'main-not-window',
      comment:
        'Outside src-main/app/, the main side never imports the window (src-renderer/) or the ' +
        'Electron preload (src-preload/preload.ts); it shares only the contract with them.',
      severity: 'error',
      from: { path: '^src-main/', pathNot: '^src-main/app/' },
      to: { path: ['^src-renderer/', '^src-preload/preload\\.ts$'] },
    },
    {
      name: 'no-cycles-in-main',
      comment:
        'No circular imports in src-main, type-only ones included: break the cycle by moving the ' +
        'shared part into a module both sides import.',
      severity: 'error',
      from: { path: '^src-main/' },
      to: { circular: true },
    },
    {
      name: 'room-imports-no-feature',
      comment: roomComment,
      severity: 'error',
      from: { path: '^src-main/(wire|link|room)/', pathNot: `^src-main/${anyOf(Object.keys(ROOM_IMPORTS_TODAY))}$` },
      to: { path: APP_CODE, pathNot: '^src-main/(wire|link|room)/' },
    },
    ...Object.entries(ROOM_IMPORTS_TODAY).map(([file, targets]) => ({
      name: 'room-imports-no-feature',
      comment: roomComment,
      severity: 'error',
      from: { path: `^src-main/${escape(file)}$` },
      to: { path: APP_CODE, pathNot: ['^src-main/(wire|link|room)/', `^src-main/features/(files|chat)/${anyOf(targets)}$`] },
    })),
    {
      name: 'imports-resolve',
      comment:
        'Every import resolves to a file or package; one that does not is invisible to the ' +
        'rules above.',
      severity: 'error',
      from: { path: APP_CODE },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports are real edges for these rules (the renderer's `import type` included).
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6', 'cjs'],
  },
};
