/** The no-cluster run command; filled in with the services (see README). */
export const start = async (_args: string[]): Promise<number> => {
  console.error('[ticketing] the no-cluster mode is not built yet');
  return 1;
};
