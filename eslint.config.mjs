// Lint: TypeScript rules plus the process boundaries of ARCHITECTURE.md, enforced rather than hoped for.
import tseslint from 'typescript-eslint';
import { layerRule } from './scripts/lint/layerRule.mjs';
import { cycleRule } from './scripts/lint/cycleRule.mjs';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'worker_threads', 'http', 'net', 'url', 'zlib', 'stream', 'util', 'events', 'buffer'];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-output/**', '**/*.mjs', '**/*.js'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The layer map of docs/ARCHITECTURE.md (scripts/lint/layers.mjs), and no import cycles anywhere.
    files: ['src-main/**/*.ts', 'src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    plugins: { pulmo: { rules: { layers: layerRule, 'no-cycles': cycleRule } } },
    rules: {
      'pulmo/layers': 'error',
      'pulmo/no-cycles': 'error',
    },
  },
  {
    // Electron is confined to the thin shell.
    files: ['src-main/**/*.ts'],
    ignores: ['src-main/app/**', 'src-main/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'only src-main/app may import electron' }] }],
    },
  },
  {
    // shared/ is imported by both processes: pure TypeScript only.
    files: ['src-main/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'react', 'react-dom', ...nodeBuiltins].map((name) => ({ name, message: 'src-main/shared must stay free of node, electron and DOM imports' })),
          patterns: [
            { group: ['node:*'], message: 'src-main/shared must stay free of node imports' },
            { group: ['../*', '!../shared/*'], message: 'src-main/shared imports only from shared/' },
            { group: ['@kitware/*'], message: 'no rendering libraries in shared/' },
          ],
        },
      ],
    },
  },
  {
    // The renderer reaches the main side only through shared/ types and the API client.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'onnxruntime-node', ...nodeBuiltins].map((name) => ({ name, message: 'the renderer has no Node or Electron access' })),
          patterns: [
            { group: ['node:*'], message: 'the renderer has no Node access' },
            { regex: 'src-main/(?!shared/)', message: 'the renderer may import only src-main/shared' },
          ],
        },
      ],
    },
  },
);
