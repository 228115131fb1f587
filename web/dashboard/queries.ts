/** The GraphQL documents the dashboard sends (schema.graphql). */
export const GENOMES = `query DashboardGenomes { genomes { id name geneCount } }`;

const TREE_ARGS = `$genome: ID!, $method: TreeMethod!, $root: TreeRoot!, $bootstrap: Int!, $layout: TreeShape!, $lengths: BranchLengths!`;

/** the tree drawn by the server (Tree.svg, src/core/format/tree-svg.ts) and nested (Tree.json) */
export const VIEW = `query DashboardView(${TREE_ARGS}) {
  tree(genome: $genome, method: $method, root: $root, bootstrap: $bootstrap) {
    rooted rootedBy bootstrap json svg(layout: $layout, lengths: $lengths)
  }
  distanceMatrix(genome: $genome) { models { id name } distance }
  models(filter: { genome: $genome }, first: 1000) {
    nodes { id name family provider scores { benchmark value } }
  }
  jobs(genome: $genome, first: 1000) { nodes { id status completed total samplesPerGene model { id } } }
}`;

export const TREE_SVG = `query DashboardTreeSvg(${TREE_ARGS}) {
  tree(genome: $genome, method: $method, root: $root, bootstrap: $bootstrap) { svg(layout: $layout, lengths: $lengths) }
}`;

export const ACTIVE_JOBS = `query DashboardJobs($genome: ID!) {
  queued: jobs(genome: $genome, status: QUEUED, first: 100) { nodes { ...JobRow } }
  running: jobs(genome: $genome, status: RUNNING, first: 100) { nodes { ...JobRow } }
}
fragment JobRow on ProbeJob { id status completed total model { id name } }`;

export const JOB_PROGRESS = `subscription DashboardJobProgress($id: ID!) {
  jobProgress(id: $id) { id status completed total model { id name } }
}`;

export const SAMPLES = `query DashboardSamples($model: ID!, $genome: ID!) {
  samples(model: $model, genome: $genome, first: 12) { nodes { geneIndex sampleIndex allele text } }
}`;

/** One query asking for each (model, benchmark) prediction under an alias `p<i>`. */
export function predictionsQuery(pairs: readonly { model: string; benchmark: string }[]): string {
  const fields = pairs.map(
    (p, i) =>
      `p${i}: prediction(model: ${JSON.stringify(p.model)}, benchmark: ${JSON.stringify(p.benchmark)}, genome: $genome) { value low high level }`,
  );
  return `query DashboardPredictions($genome: ID!) {\n  ${fields.join('\n  ')}\n}`;
}

export interface PredictionData {
  value: number;
  low: number;
  high: number;
  level: number;
}

export interface JobRow {
  id: string;
  status: string;
  completed: number;
  total: number;
  model: { id: string; name: string };
}
