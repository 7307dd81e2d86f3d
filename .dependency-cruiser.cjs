// The layer rules of docs/ARCHITECTURE.md, checked by `npm run check:layers` (part of `npm test`):
//   wire ← link (and relay) ← room ← features ← composition roots (session, desktop, cli, app)
//   node scripts/depcruise.mjs src-main src-preload src-renderer
// scripts/depcruise.mjs is dependency-cruiser's CLI reading TypeScript with TypeScript 6 (7 has no
// JS API). test/static/layers.test.ts runs these rules over test/fixtures/layers, a small tree with
// one known-bad import per rule, so a rule that stops firing fails the tests.


const ELECTRON = ['^electron$', '(^|/)node_modules/electron/'];
const APP_CODE = '^src-(main|preload|renderer)/';

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
      name: 'wire-imports-only-wire',
      comment:
        'The wire layer (src-main/wire/: codec, limits, errors, the message registry) is the bottom ' +
        'of the core: it imports nothing else of the app (docs/ARCHITECTURE.md, layers).',
      severity: 'error',
      from: { path: '^src-main/wire/' },
      to: { path: APP_CODE, pathNot: '^src-main/wire/' },
    },
    {
      name: 'link-imports-only-wire',
      comment:
        'The link layer (src-main/link/: TLS server gate, peer connection, pinned guest link; and ' +
        'src-main/relay/, a relayed link) imports only the wire layer and itself, never the room or a feature.',
      severity: 'error',
      from: { path: '^src-main/(link|relay)/' },
      to: { path: APP_CODE, pathNot: '^src-main/(wire|link|relay)/' },
    },
    {
      name: 'room-imports-no-feature',
      comment:
        'The room (src-main/room/) imports only the wire and link layers: features plug into it ' +
        'through room/feature.ts and are put together by the composition roots (session, desktop, ' +
        'cli); the room never names one (docs/ARCHITECTURE.md, "Adding a feature").',
      severity: 'error',
      from: { path: '^src-main/room/' },
      to: { path: APP_CODE, pathNot: '^src-main/(wire|link|room)/' },
    },
    {
      name: 'feature-imports-wire-and-room-interface',
      comment:
        'A feature (src-main/features/NAME/) imports only the wire layer, the room\'s feature ' +
        'interface (src-main/room/feature.ts) and its own folder: never another feature, the room\'s ' +
        'insides, the link layer or a composition root.',
      severity: 'error',
      from: { path: '^src-main/features/([^/]+)/' },
      to: { path: APP_CODE, pathNot: ['^src-main/wire/', '^src-main/room/feature\\.ts$', '^src-main/features/$1/'] },
    },
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
