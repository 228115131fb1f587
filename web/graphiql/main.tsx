/**
 * GraphiQL (graphiql 4, CodeMirror-based) for this server, bundled by scripts/build-web.ts and
 * served at `/graphql` to browsers: queries and mutations go over HTTP POST (JSON, which also
 * satisfies the CSRF rule), subscriptions over graphql-ws on the same path, and nothing else
 * leaves the page. With PHYLOLM_ADMIN_TOKEN set, mutations need `{"Authorization": "Bearer …"}`
 * in the Headers tab; GraphiQL keeps headers out of its local storage unless asked.
 */
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/style.css';
import './page.css';
import { createClient } from 'graphql-ws';
import { createRoot } from 'react-dom/client';
import { graphqlUrl, websocketUrl } from '../shared/endpoints';

const fetcher = createGraphiQLFetcher({
  url: graphqlUrl(location),
  wsClient: createClient({ url: websocketUrl(location), lazy: true }),
});

const DEFAULT_QUERY = `# PhyloLM: genomes, models and trees (README, "Try it")
{
  genomes { id name geneCount }
  models(first: 5) { totalCount nodes { id name family } }
}
`;

createRoot(document.getElementById('root')!).render(<GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />);
