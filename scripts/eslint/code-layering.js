// `local/code-layering`: each layer (a project folder, DESIGN §1) imports only itself and the folders its
// allow-list names. Modelled on VS Code's rule of the same name: the layers and their allow-lists are the
// rule's options in eslint.config.js, and this file only resolves each relative import and checks it.
// Package imports (electron, node:*, react) are no-restricted-imports' business, not this rule's.
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths are compared relative to the project root, with forward slashes, e.g. `electron/main/index.ts`. */
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function projectPath(absolutePath) {
  return relative(projectRoot, absolutePath).split(sep).join('/');
}

function isInside(path, folder) {
  return path === folder || path.startsWith(`${folder}/`);
}

/** The layer a project path belongs to (the longest layer folder that holds it), or null for none. */
function layerOf(path, layers) {
  let found = null;
  for (const layer of Object.keys(layers)) {
    if (isInside(path, layer) && (found === null || layer.length > found.length)) found = layer;
  }
  return found;
}

/** The text of a string literal or of a template literal without `${}`; null for anything else. */
function staticString(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Each layer imports only itself and the layers its allow-list names (DESIGN §1).' },
    schema: [
      {
        type: 'object',
        properties: {
          /** Layer folder → the folders it may import besides itself. */
          layers: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          /** Layer folder → folders it may load only with a dynamic `import()`, on demand. */
          dynamicOnly: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
        },
        required: ['layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      layerbreaker:
        "Bad layering: {{importer}} may not import {{imported}} ('{{source}}'). {{importer}} imports only {{allowed}}.",
      dynamicOnly:
        "Bad layering: {{importer}} may load {{imported}} ('{{source}}') only with a dynamic import(), on demand.",
    },
  },

  create(context) {
    const { layers, dynamicOnly = {} } = context.options[0];
    const importer = layerOf(projectPath(context.filename), layers);
    // tests/, bench/, scripts/ and the configuration files at the root are not layers.
    if (importer === null) return {};
    const allowed = layers[importer] ?? [];

    function check(sourceNode, isDynamic) {
      const source = staticString(sourceNode);
      // A package, or a dynamic import() of a computed path, which no rule can follow.
      if (source === null || !source.startsWith('.')) return;
      const target = projectPath(resolve(dirname(context.filename), source));
      if (isInside(target, importer) || allowed.some((folder) => isInside(target, folder))) return;
      const imported = layerOf(target, layers) ?? target;
      if ((dynamicOnly[importer] ?? []).some((folder) => isInside(target, folder))) {
        if (!isDynamic)
          context.report({
            node: sourceNode,
            messageId: 'dynamicOnly',
            data: { importer, imported, source },
          });
        return;
      }
      context.report({
        node: sourceNode,
        messageId: 'layerbreaker',
        data: { importer, imported, source, allowed: allowed.length > 0 ? allowed.join(', ') : 'itself' },
      });
    }

    return {
      ImportDeclaration: (node) => check(node.source, false),
      ExportNamedDeclaration: (node) => check(node.source, false),
      ExportAllDeclaration: (node) => check(node.source, false),
      ImportExpression: (node) => check(node.source, true),
    };
  },
};
