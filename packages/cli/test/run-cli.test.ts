import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CliCommandGroup, CliIo } from '../src/cli-command';
import { COMMAND_GROUPS } from '../src/command-groups';
import { runCli } from '../src/run-cli';

const dir = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));
const capture = () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {} };
  return { io, out, err };
};

describe('yujing registry validate', () => {
  it('prints every problem with file and path and exits 1 on a broken registry', async () => {
    const { io, err } = capture();
    const code = await runCli(
      ['registry', 'validate', dir('../../registry/test/fixtures/broken')],
      COMMAND_GROUPS,
      io,
    );
    expect(code).toBe(1);
    expect(err).toContainEqual(
      expect.stringMatching(/broken\/plant\.yaml: \[140105MD01:PDT-01\] points\.2\.limits\.h: limit h/),
    );
    expect(err).toContainEqual(
      expect.stringMatching(/broken\/plant\.yaml: \[140106ST99\] enterprises\.0\.id: /),
    );
    expect(err).toContainEqual(expect.stringMatching(/broken\/garbage\.yaml: line \d+:\d+: invalid YAML/));
    expect(err.at(-1)).toMatch(/^\d+ problem\(s\) in /);
    expect(err.length).toBeGreaterThanOrEqual(12);
  });

  it('exits 0 with a summary on the fixture fleet', async () => {
    const { io, out, err } = capture();
    const code = await runCli(
      ['registry', 'validate', dir('../../../simulators/fixtures/registry')],
      COMMAND_GROUPS,
      io,
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    expect(out[0]).toMatch(/^ok: 20 enterprises, /);
  });
});

describe('command dispatch', () => {
  const group: CliCommandGroup = {
    name: 'demo',
    summary: 'a pluggable group',
    commands: {
      echo: {
        summary: 'echo',
        usage: '<words>',
        run: async (args, io) => {
          io.out(args.join(' '));
          return 3;
        },
      },
    },
  };

  it('runs a plugged-in group command with its arguments and returns its exit code', async () => {
    const { io, out } = capture();
    expect(await runCli(['demo', 'echo', 'a', 'b'], [group], io)).toBe(3);
    expect(out).toEqual(['a b']);
  });

  it.each([[['nope']], [['demo']], [['demo', 'nope']], [[]]])('exits 64 with usage for %j', async (argv) => {
    const { io, err } = capture();
    expect(await runCli(argv, [group], io)).toBe(64);
    expect(err.join('\n')).toMatch(/usage: yujing/);
  });

  it('reports a failing command as exit 1 with its message', async () => {
    const failing: CliCommandGroup = {
      ...group,
      commands: {
        boom: {
          summary: '',
          usage: '',
          run: async () => {
            throw new Error('kaput');
          },
        },
      },
    };
    const { io, err } = capture();
    expect(await runCli(['demo', 'boom'], [failing], io)).toBe(1);
    expect(err).toEqual(['yujing demo boom: kaput']);
  });
});
