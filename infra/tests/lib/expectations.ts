import { Cluster, IDeployment, isDeployment, nameOf } from './kube';

/** Expects one of the problems to contain `fragment`. */
export const reports = (problems: string[], fragment: string) =>
  expect(problems).toEqual(expect.arrayContaining([expect.stringContaining(fragment)]));

/** The cluster's Deployment named `name`; throws when there is none. */
export const deployment = (cluster: Cluster, name: string): IDeployment => {
  const found = cluster.workloads.filter(isDeployment).find((candidate) => nameOf(candidate) === name);
  if (!found) throw new Error(`no Deployment ${name}`);
  return found;
};
