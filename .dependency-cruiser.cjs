/**
 * Atelier's dependency rules, checked by `npm test` (npm run lint:deps). Each folder of src/ is one
 * module; the layers below say which way imports may point. An arrow that points back up, or a
 * cycle between folders, fails the build. See docs/architecture.md ("Dependency rules").
 */

/** The layers, lowest first. A module may import its own layer's modules only where listed below. */
const LAYERS = [
  ['config', 'logging'],
  ['database'],
  ['common', 'views'],
  ['files', 'mail', 'rate-limit', 'health'],
  ['events', 'outbox'],
  ['sessions'],
  ['users'],
  ['auth'],
  ['courses'],
  ['teams'],
  ['resources'],
  ['tasks'],
  ['submissions'],
  ['invitations'],
  ['meetings'],
  ['home', 'housekeeping', 'audit', 'notifications', 'calendar', 'dashboards', 'reports'],
  ['worker'],
  ['cli', 'seed'],
];

const folder = (name) => `^src/${name}/`;
const above = (i) => LAYERS.slice(i + 1).flat();

/** One rule per layer: nothing in it imports a module of a higher layer. */
const layerRules = LAYERS.flatMap((mods, i) =>
  above(i).length
    ? [
        {
          name: `layer-${mods.join('-')}`,
          comment: `${mods.join(', ')} must not depend on a higher layer (${above(i).join(', ')})`,
          severity: 'error',
          from: { path: `^src/(${mods.join('|')})/` },
          to: { path: `^src/(${above(i).join('|')})/` },
        },
      ]
    : [],
);

module.exports = {
  forbidden: [
    {
      name: 'no-folder-cycles',
      comment: 'Modules (folders of src/) must not depend on each other in a circle.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'no-foreign-entities',
      comment:
        'A module reads and writes only its own tables: another module’s entities are reached through that module’s exported service. ' +
        'Exceptions: entity relations (*.entity.ts), and the demo seed and CLI (composition roots, like the entity registry database/entities.ts, which is left out of the cruise).',
      severity: 'error',
      from: { path: '^src/([^/]+)/', pathNot: ['\\.entity\\.ts$', '^src/(seed|cli)/'] },
      to: { path: '^src/([^/]+)/.+\\.entity\\.ts$', pathNot: '^src/$1/' },
    },
    {
      name: 'controllers-never-touch-the-database',
      comment: 'Controllers read the request, call their module’s service and render: no Database, no query building.',
      severity: 'error',
      from: { path: '\\.controller\\.ts$' },
      to: { path: ['^src/database/', '^typeorm$'] },
    },
    {
      name: 'common-knows-no-feature',
      comment: 'common/ is shared by every module and names none of them.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: `^src/(${LAYERS.slice(3).flat().join('|')})/` },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    // The entity registry is TypeORM's composition root: it lists every module's entities.
    exclude: { path: ['\\.spec\\.ts$', '^src/database/entities\\.ts$'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
