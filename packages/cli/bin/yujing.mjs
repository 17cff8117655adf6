#!/usr/bin/env node
// The `yujing` command (package.json "bin"): runs the CLI built into dist/ by `make install`, on
// plain node. This launcher is committed so pnpm can link the bin before the first build.
import { existsSync } from 'node:fs';

const built = new URL('../dist/yujing.mjs', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write(
    'yujing: the CLI is not built yet: run `make install` (or `pnpm --filter @yujing/cli run build`)\n',
  );
  process.exit(1);
}
await import(built.href);
