/** Where the pages talk to: the server that served them, at `/graphql` (HTTP and graphql-ws). */
export function graphqlUrl(location: Location): string {
  return `${location.origin}/graphql`;
}

export function websocketUrl(location: Location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
}
