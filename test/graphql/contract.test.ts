/**
 * The outside contract (the names scripts, dashboards and services rely on): every type, field,
 * argument and enum value it names must exist in the committed schema. Renaming one breaks this
 * test before it breaks a client.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, getNamedType, isEnumType, isInputObjectType, isObjectType, type GraphQLSchema } from 'graphql';

const schema: GraphQLSchema = buildSchema(readFileSync(join(__dirname, '..', '..', 'schema.graphql'), 'utf8'));

/** `Type.field(arg1, arg2)` or `Type.field`, followed by the fields of its named type. */
const CONTRACT: [string, string[]][] = [
  ['Query.providers', ['id', 'name', 'configured', 'models']],
  ['Provider.models', ['id', 'family', 'parent']],
  ['Query.models(filter, first, after)', ['nodes', 'edges', 'pageInfo', 'totalCount']],
  ['ModelConnection.edges', ['cursor', 'node']],
  ['ModelConnection.pageInfo', ['hasNextPage', 'endCursor']],
  ['Query.model(id, name)', ['id', 'name', 'provider', 'providerModel', 'family', 'mode', 'temperature', 'scores']],
  ['Model.scores', ['benchmark', 'value']],
  ['Query.genomes', ['id', 'name', 'geneCount', 'fingerprint', 'genes']],
  ['Query.genome(id, name)', ['id', 'name', 'geneCount', 'fingerprint', 'genes']],
  ['Genome.genes(first, after)', []],
  ['Query.job(id)', ['id', 'status', 'completed', 'total', 'error']],
  ['Query.distanceMatrix(genome, models)', ['models', 'similarity', 'distance', 'phylip']],
  ['DistanceMatrix.models', ['id', 'name']],
  ['Query.tree(genome, models, method)', ['method', 'newick', 'nodes', 'nexus', 'json', 'svg']],
  ['Tree.svg(layout, lengths)', []],
  ['DistanceMatrix.phylipNames', ['short', 'name', 'model']],
  ['Query.distanceMatrix(genome, models)', ['csv', 'phylipNamesCsv']],
  ['Tree.nodes', ['id', 'parent', 'model', 'branchLength']],
  ['TreeNode.model', ['id', 'name']],
  ['Query.prediction(model, benchmark, genome)', ['value', 'low', 'high', 'method', 'neighbors']],
  ['Prediction.neighbors', ['model', 'distance', 'score']],
  ['Query.predictionEvaluation(benchmark, genome)', ['method', 'n', 'pearson', 'mae', 'points']],
  ['PredictionEvaluation.points', ['model', 'actual', 'predicted']],
  ['EvaluationPoint.model', ['id', 'name', 'family']],
  ['Mutation.registerModel(input)', []],
  ['Mutation.createGenome(input)', []],
  ['Mutation.importCompletions(input)', ['accepted', 'rejected']],
  ['Mutation.startProbing(input)', []],
  ['Mutation.cancelJob(id)', []],
  ['Mutation.setScores(input)', []],
];

const INPUTS: [string, string[]][] = [
  ['RegisterModelInput', ['name', 'provider', 'providerModel', 'family', 'mode', 'temperature']],
  ['CreateGenomeInput', ['name', 'genes']],
  ['ImportCompletionsInput', ['model', 'genome', 'completions']],
  ['CompletionInput', ['gene', 'text']],
  ['StartProbingInput', ['model', 'genome', 'samplesPerGene', 'maxTokens']],
  ['ScoreInput', ['model', 'benchmark', 'value']],
];

describe('the outside contract (docs/contract.md)', () => {
  it.each(CONTRACT)('%s exists with fields %j', (path, fields) => {
    const [, typeName, fieldName, args] = /^(\w+)\.(\w+)(?:\((.*)\))?$/.exec(path)!;
    const type = schema.getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    const field = type.getFields()[fieldName];
    expect(field).toBeDefined();
    for (const arg of args ? args.split(', ') : []) expect(field.args.map((a) => a.name)).toContain(arg);
    const target = getNamedType(field.type);
    if (fields.length > 0) {
      if (!isObjectType(target)) throw new Error(`${path} does not return an object type`);
      expect(Object.keys(target.getFields())).toEqual(expect.arrayContaining(fields));
    }
  });

  it.each(INPUTS)('input %s has %j', (name, fields) => {
    const type = schema.getType(name);
    if (!isInputObjectType(type)) throw new Error(`${name} is not an input type`);
    expect(Object.keys(type.getFields())).toEqual(expect.arrayContaining(fields));
  });

  it.each([
    ['JobStatus', ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED']],
    ['TreeMethod', ['NJ', 'UPGMA']],
    ['ModelMode', ['COMPLETION', 'CHAT']],
  ])('enum %s has %j', (name, values) => {
    const type = schema.getType(name);
    if (!isEnumType(type)) throw new Error(`${name} is not an enum`);
    expect(type.getValues().map((v) => v.name)).toEqual(expect.arrayContaining(values));
  });

  it('tree(method) defaults to NJ', () => {
    const tree = schema.getQueryType()!.getFields().tree;
    expect(tree.args.find((a) => a.name === 'method')!.defaultValue).toBe('NJ');
  });
});
