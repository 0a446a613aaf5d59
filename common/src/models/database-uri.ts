/** The URI of database `name` on the server `serverUri` names, keeping its options (e.g. `?maxPoolSize=8`). */
export const databaseUri = (serverUri: string, name: string): string => {
  const url = new URL(serverUri);
  url.pathname = `/${name}`;
  return url.toString();
};
