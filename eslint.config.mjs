import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Provider packages' root barrels load thousands of modules; import resources by deep path. */
const PROVIDER_ROOT_IMPORTS = [
  {
    name: '@cdktf/provider-aws',
    message: 'Import from @cdktf/provider-aws/lib/<resource> (the root barrel is slow).',
  },
  {
    name: '@cdktf/provider-helm',
    message: 'Import from @cdktf/provider-helm/lib/<resource>.',
  },
  {
    name: '@cdktf/provider-kubernetes',
    message: 'Import from @cdktf/provider-kubernetes/lib/<resource>.',
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdktf.out/**', '.cache/**', '.tmp/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: PROVIDER_ROOT_IMPORTS,
        },
      ],
    },
  },
  {
    // lib/<concern> modules take the values they need as typed props; the environment's schema is
    // read in stacks/ (and by the modules about environments themselves).
    files: ['lib/**/*.ts'],
    ignores: [
      'lib/config/**',
      'lib/aws/provider.ts',
      'lib/state/backend.ts',
      'lib/environments/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: PROVIDER_ROOT_IMPORTS,
          patterns: [
            {
              regex: '^(\\.\\./)+config(/|$)',
              message:
                'lib/<concern> modules must not import lib/config: take the values as props and map the config in stacks/ (see stacks/environment-settings.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
