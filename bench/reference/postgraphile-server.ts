// The yardstick of the speed targets, run on the same machine as inkql: a PostGraphile 5 server over the
// bench database (Amber preset, no plugins, production mode), started by
// bench/postgraphile-comparison.ts on Node 22 as a child process like inkql's own server.
//
//   DATABASE_URL=postgres://... PORT=5055 node22 --import tsx bench/reference/postgraphile-server.ts
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

// Configured as the bench configures inkql's server: DATABASE_URL, PORT and HOST.
const { DATABASE_URL, PORT, HOST = '127.0.0.1' } = process.env;
if (!DATABASE_URL || !PORT) throw new Error('DATABASE_URL and PORT are required');

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: DATABASE_URL, schemas: ['public'] })],
  grafserv: { graphqlPath: '/graphql', graphiql: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const handle = serv.createHandler();
const server = createServer((request, response) => {
  // What bench/server-process.ts polls before it sends load; grafserv answers the rest.
  if (request.url === '/readyz') response.writeHead(200).end('ok');
  else handle(request, response);
});
server.listen(Number(PORT), HOST);
process.once('SIGTERM', () => {
  server.close();
  void Promise.resolve(pgl.release()).then(() => process.exit(0));
});
