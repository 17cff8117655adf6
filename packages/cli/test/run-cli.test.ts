import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type CliCommandGroup, type CliIo, defineCommand } from '../src/cli-command';
import { COMMAND_GROUPS } from '../src/command-groups';
import { EXIT } from '../src/exit-codes';
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

it('uses the documented exit codes: 0 ok, 1 failure, 2 usage (README)', () => {
  expect(EXIT).toEqual({ ok: 0, failure: 1, usage: 2 });
});

describe('command dispatch', () => {
  const group: CliCommandGroup = {
    name: 'demo',
    summary: 'a pluggable group',
    commands: {
      echo: defineCommand({
        summary: 'echo the words',
        positionals: [
          { name: 'first', description: 'the first word', required: true },
          { name: 'second', description: 'an optional second word' },
        ],
        options: {
          loud: { type: 'boolean', short: 'l', description: 'upper case' },
          times: { type: 'string', valueName: '<n>', description: 'repeat n times' },
        },
        run: async ({ positionals, values }, io) => {
          const text = positionals.join(' ');
          for (let i = 0; i < Number(values.times ?? 1); i++) io.out(values.loud ? text.toUpperCase() : text);
          return 3;
        },
      }),
    },
  };

  it('parses positionals and options (--x v, --x=v, short flags) and returns the command exit code', async () => {
    const { io, out } = capture();
    expect(await runCli(['demo', 'echo', 'a', 'b', '-l', '--times=2'], [group], io)).toBe(3);
    expect(out).toEqual(['A B', 'A B']);
    const second = capture();
    expect(await runCli(['demo', 'echo', '--times', '1', 'a'], [group], second.io)).toBe(3);
    expect(second.out).toEqual(['a']);
  });

  it.each([
    [['nope'], /unknown command group "nope"/],
    [['demo'], /demo: missing command/],
    [['demo', 'nope'], /unknown command "nope"/],
    [[], /missing command group/],
    [['demo', 'echo'], /missing <first>: the first word/],
    [['demo', 'echo', 'a', 'b', 'c'], /unexpected argument "c"/],
    [['demo', 'echo', 'a', '--shout'], /Unknown option '--shout'/],
    [['demo', 'echo', 'a', '--times'], /--times/],
    [['demo', 'echo', 'a', '--loud=yes'], /--loud/],
  ])('exits 2 (usage) with the problem and the help on stderr for %j', async (argv, problem) => {
    const { io, out, err } = capture();
    expect(await runCli(argv, [group], io)).toBe(EXIT.usage);
    expect(out).toEqual([]);
    expect(err[0]).toMatch(problem);
    expect(err.join('\n')).toMatch(/usage: yujing/);
  });

  it.each([
    [['--help'], /usage: yujing <group>/],
    [['-h'], /usage: yujing <group>/],
    [['help'], /usage: yujing <group>/],
    [['demo', '--help'], /usage: yujing demo <command>/],
    [['demo', 'echo', '--help'], /usage: yujing demo echo <first> \[second\] \[options\]/],
    [['demo', 'echo', 'a', '-h'], /usage: yujing demo echo/],
    [['help', 'demo'], /usage: yujing demo <command>/],
    [['help', 'demo', 'echo'], /usage: yujing demo echo/],
  ])('prints help on stdout and exits 0 for %j', async (argv, first) => {
    const { io, out, err } = capture();
    expect(await runCli(argv, [group], io)).toBe(EXIT.ok);
    expect(err).toEqual([]);
    expect(out[0]).toMatch(first);
    expect(out.join('\n')).toMatch(/exit codes: 0 ok, 1 failure, 2 usage/);
  });

  it('lists every option with its value name and description in a command help', async () => {
    const { io, out } = capture();
    await runCli(['demo', 'echo', '--help'], [group], io);
    expect(out).toContainEqual(expect.stringMatching(/^ {2}-l, --loud +upper case$/));
    expect(out).toContainEqual(expect.stringMatching(/^ {2}--times <n> +repeat n times$/));
    expect(out).toContainEqual(expect.stringMatching(/^ {2}<first> +the first word$/));
  });

  it('reports a failing command as exit 1 with its message, a bad environment as exit 2', async () => {
    const failing = (err: Error): CliCommandGroup => ({
      ...group,
      commands: {
        boom: defineCommand({
          summary: 'fails',
          run: async () => {
            throw err;
          },
        }),
      },
    });
    const { io, err } = capture();
    expect(await runCli(['demo', 'boom'], [failing(new Error('kaput'))], io)).toBe(EXIT.failure);
    expect(err).toEqual(['yujing demo boom: kaput']);
    const badEnv = Object.assign(new Error('invalid configuration'), { code: 'YJ_ERR_CONFIG_INVALID' });
    expect(await runCli(['demo', 'boom'], [failing(badEnv)], capture().io)).toBe(EXIT.usage);
  });
});

describe('the yujing command groups', () => {
  const commands = COMMAND_GROUPS.flatMap((g) => Object.keys(g.commands).map((c) => [g.name, c] as const));

  it.each(COMMAND_GROUPS.map((g) => g.name))('yujing %s --help lists its commands', async (name) => {
    const { io, out } = capture();
    expect(await runCli([name, '--help'], COMMAND_GROUPS, io)).toBe(EXIT.ok);
    const group = COMMAND_GROUPS.find((g) => g.name === name)!;
    for (const c of Object.keys(group.commands)) expect(out.join('\n')).toContain(`  ${c} `);
  });

  it.each(commands)('yujing %s %s --help describes every option and exits 0', async (g, c) => {
    const { io, out } = capture();
    expect(await runCli([g, c, '--help'], COMMAND_GROUPS, io)).toBe(EXIT.ok);
    expect(out[0]).toMatch(new RegExp(`^usage: yujing ${g} ${c}`));
    const command = COMMAND_GROUPS.find((x) => x.name === g)!.commands[c]!;
    for (const [name, o] of Object.entries(command.options ?? {})) {
      expect(o.description.length, `${g} ${c} --${name}`).toBeGreaterThan(0);
      expect(out.join('\n')).toContain(`--${name}`);
    }
  });

  it('refuses options a command does not have with exit 2 (registry validate --prune)', async () => {
    const { io, err } = capture();
    expect(await runCli(['registry', 'validate', 'x', '--prune'], COMMAND_GROUPS, io)).toBe(EXIT.usage);
    expect(err[0]).toMatch(/Unknown option '--prune'/);
  });

  it('broker-auth sync without a source and watch alarms without a token are usage errors', async () => {
    expect(await runCli(['broker-auth', 'sync'], COMMAND_GROUPS, capture().io)).toBe(EXIT.usage);
    const watch = capture();
    expect(await runCli(['watch', 'alarms', '--for', '1s'], COMMAND_GROUPS, watch.io)).toBe(EXIT.usage);
    expect(watch.err[0]).toMatch(/a bearer token is needed/);
  });
});
