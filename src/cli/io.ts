// Where a CLI command writes, and the shape every command has.

export interface Io {
  out: (line?: string) => void;
  err: (line: string) => void;
}

/** One subcommand: its arguments (the command name taken off) in, the process exit code out. */
export type Command = (args: string[], io: Io) => Promise<number>;

export const processIo: Io = {
  out: (line = '') => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};
