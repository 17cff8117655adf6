// Builds the `yujing` CLI into one file, dist/yujing.mjs (git-ignored), so it runs on plain
// `node` without tsx: `pnpm --filter @yujing/cli run build`, run by `make install`
// (deploy/local/ensure-node-deps.sh); `node build.mjs <outfile>` writes elsewhere (tests). Everything is bundled (the workspace packages are TypeScript
// sources); CommonJS dependencies (kafkajs …) get a `require` from createRequire.
import { build } from 'esbuild';

await build({
  entryPoints: [new URL('./src/bin.ts', import.meta.url).pathname],
  outfile: process.argv[2] ?? new URL('./dist/yujing.mjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  logLevel: 'warning',
  banner: {
    js: [
      '#!/usr/bin/env node',
      "import { createRequire as __yjCreateRequire } from 'node:module';",
      'const require = __yjCreateRequire(import.meta.url);',
    ].join('\n'),
  },
});
