/**
 * The architecture's folder rules (docs/architecture.md), checked by `npm run lint`; Biome
 * (biome.json) keeps `electron` to main and preload and Node out of renderer/ and shared/.
 * electron/layering.test.ts feeds each rule a violating file to prove it is live.
 */
const DOORS = ['main', 'preload', 'web', 'cli'];
const TESTS = '(\\.test\\.tsx?$|^test/)';

/** A door may not import another door. */
const doorRules = DOORS.map((door) => ({
  name: `door-${door}-imports-no-other-door`,
  comment: `electron/${door} is a front door: it imports the engine and shared/, never another door.`,
  severity: 'error',
  from: { path: `^electron/${door}/`, pathNot: TESTS },
  to: {
    path: `^electron/(${DOORS.filter((d) => d !== door).join('|')})/`,
    // The CLI's serve command hosts the browser-mode door: the one door that starts another.
    pathNot: door === 'cli' ? '^electron/web/server\\.ts$' : undefined,
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'shared-imports-nothing-of-the-project',
      comment: 'shared/ is the contract: plain TypeScript that imports nothing of the project.',
      severity: 'error',
      from: { path: '^shared/', pathNot: TESTS },
      to: { path: '^(electron|renderer|bench|e2e|scripts)/' },
    },
    {
      name: 'engine-imports-only-shared',
      comment: 'The engine (electron/services) imports shared/ and itself: no door, no renderer.',
      severity: 'error',
      from: { path: '^electron/services/', pathNot: TESTS },
      to: { path: '^(electron/(main|preload|web|cli)|renderer|bench|e2e|scripts)/' },
    },
    ...doorRules,
    {
      name: 'cli-enters-the-engine-by-its-entrance',
      comment:
        'The command line is a door over the contract: it reaches the engine through AppService and dispatch only. ' +
        'Besides them: dataDir (where the history lives), the stores a door chooses for push (secrets from the ' +
        'environment or a file, as the desktop chooses its keychain; the 4D REST session kept across runs), and the ' +
        'demo generator and 4D Server double for the local `demo` and `serve --double`.',
      severity: 'error',
      from: { path: '^electron/cli/', pathNot: TESTS },
      to: {
        path: '^electron/services/',
        pathNot:
          '^electron/services/(appService|dispatch|dataDir|push/secretStore|push/restSessions|demo/demoFolder|demo/demoServer)\\.ts$',
      },
    },
    {
      name: 'renderer-imports-only-shared',
      comment: 'The renderer is untrusted: it imports shared/ and itself, never the engine or a door.',
      severity: 'error',
      from: { path: '^renderer/', pathNot: TESTS },
      to: { path: '^(electron|bench|e2e|scripts)/' },
    },
    {
      name: 'demo-off-the-engine-core-path',
      comment:
        'The demo folder and the 4D Server double load only when a demo is asked for: the rest of the engine imports them dynamically, if at all.',
      severity: 'error',
      from: { path: '^electron/services/', pathNot: `(^electron/services/demo/|${TESTS})` },
      to: { path: '^electron/services/demo/', dynamic: false, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'product-imports-no-test-support',
      comment: 'Test support stays out of the product.',
      severity: 'error',
      from: { path: '^(electron|shared|renderer)/', pathNot: TESTS },
      to: { path: TESTS },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|node_modules|dist|test-results)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
