import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.svelte-kit/**',
      'test/artifacts/**',
      'data/**',
      '**/*.svelte',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-console': 'off',
      // Flags initial values that only a later loop iteration overwrites; more noise than help here.
      'no-useless-assignment': 'off',
    },
  },
  {
    // Entities and GraphQL types get runtime values from decorators: their imports must stay value imports.
    files: [
      '**/*.entity.ts',
      '**/*.types.ts',
      '**/*.resolver.ts',
      '**/*.field-resolver.ts',
      '**/relay.ts',
      '**/*-enums.ts',
    ],
    rules: { '@typescript-eslint/consistent-type-imports': 'off' },
  },
  {
    files: ['packages/portal/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
