import type net from 'node:net';

// Counts the statements a client sends Postgres, read off the wire (the frontend protocol):
// Postgres's own count of what it was asked to run, which no server-side log gives without
// pg_stat_statements or log_statement.
//
//   startup    int32 length, int32 protocol, ...           (no type byte: the first message)
//   Q          simple query: one statement (begin, commit, an unparameterised select)
//   P          Parse: cstring statement name ('' unnamed), cstring text, ...
//   E          Execute: one run of a parsed and bound statement
//
// A statement is one Q or one E.

export interface PgStatementCounter {
  /** Feeds a chunk a client sent (TcpProxyOptions.onClientData). */
  readonly onClientData: (client: net.Socket, chunk: Buffer) => void;
  /** Statements run (Q + E) since the last reset. */
  readonly statements: number;
  /** Parse messages since the last reset, named (a prepared statement) and unnamed. */
  readonly namedParses: number;
  readonly unnamedParses: number;
  /** The texts of the Parse messages since the last reset. */
  readonly parsedTexts: readonly string[];
  reset(): void;
}

export function createPgStatementCounter(): PgStatementCounter {
  const pending = new Map<net.Socket, { buffer: Buffer; started: boolean }>();
  let statements = 0;
  let namedParses = 0;
  let unnamedParses = 0;
  let parsedTexts: string[] = [];
  const onMessage = (type: string, body: Buffer) => {
    if (type === 'Q' || type === 'E') statements++;
    if (type === 'P') {
      const nameEnd = body.indexOf(0);
      const textEnd = body.indexOf(0, nameEnd + 1);
      if (nameEnd === 0) unnamedParses++;
      else namedParses++;
      parsedTexts.push(body.subarray(nameEnd + 1, textEnd).toString('utf8'));
    }
  };
  return {
    onClientData(client, chunk) {
      let state = pending.get(client);
      if (!state) {
        state = { buffer: Buffer.alloc(0), started: false };
        pending.set(client, state);
        client.once('close', () => pending.delete(client));
      }
      state.buffer = Buffer.concat([state.buffer, chunk]);
      for (;;) {
        if (!state.started) {
          if (state.buffer.length < 4) return;
          const length = state.buffer.readInt32BE(0);
          if (state.buffer.length < length) return;
          state.buffer = state.buffer.subarray(length);
          state.started = true;
          continue;
        }
        if (state.buffer.length < 5) return;
        const length = state.buffer.readInt32BE(1);
        if (state.buffer.length < 1 + length) return;
        onMessage(String.fromCharCode(state.buffer[0]!), state.buffer.subarray(5, 1 + length));
        state.buffer = state.buffer.subarray(1 + length);
      }
    },
    get statements() {
      return statements;
    },
    get namedParses() {
      return namedParses;
    },
    get unnamedParses() {
      return unnamedParses;
    },
    get parsedTexts() {
      return parsedTexts;
    },
    reset() {
      statements = 0;
      namedParses = 0;
      unnamedParses = 0;
      parsedTexts = [];
    },
  };
}
