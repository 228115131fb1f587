import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, Float, ID, Info, Int, Query, Resolver, Root } from 'type-graphql';
import { distancesOf } from '../../services/distance.service';
import { MAX_NEAREST_CELLS, MAX_NEAREST_K, MAX_PAGE_CELLS, PAIR_PAGE } from '../../services/matrix-pages';
import type { PageRequest } from '../../services/page';
import { toConnection } from '../common/connection';
import { PageArgs } from '../common/page.args';
import type { Context } from '../context';
import { Model } from '../model/model.type';
import {
  DistanceMatrix,
  DistancePair,
  DistancePairConnection,
  DistanceRow,
  MatrixNeighbor,
  NearestModels,
  PhylipName,
} from './distance-matrix.type';
import { asksWholeMatrix } from './whole-matrix';
import { GENOME_REFERENCE, MODEL_REFERENCES } from '../common/reference';
import { coverageView } from '../../services/evidence.service';
import { MIN_GENE_COVERAGE, MIN_SAMPLES_PER_GENE } from '../evidence/thresholds';
import { Exclusion, ModelCoverage, ModelPair } from '../evidence/evidence.type';

const PairPageArgs = PageArgs(PAIR_PAGE);

/**
 * Splits a row-major n x n matrix into rows, the shape GraphQL returns. The rows are views, not
 * copies: graphql-js serialises any iterable list, and skipping a million-element copy saves
 * about a sixth of the time a 1,000-model matrix spends in GraphQL.
 */
function rows(values: Float64Array, n: number): number[][] {
  const out: Float64Array[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = values.subarray(i * n, (i + 1) * n);
  return out as unknown as number[][];
}

@Resolver(() => DistanceMatrix)
export class DistanceResolver {
  @Query(() => DistanceMatrix, {
    description: 'Nei distances (method.md). Without `models`: every model with samples on the genome, by id.',
  })
  async distanceMatrix(
    @Ctx() { services, onMatrix }: Context,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
    @Arg('models', () => [ID], { nullable: true, description: MODEL_REFERENCES }) models: string[] | null | undefined,
    @Arg('alleleLength', () => Int, {
      defaultValue: 4,
      description: 'code points kept per allele; 4 is the reference, others are counted from the raw samples',
    })
    alleleLength: number,
    @Arg('minSamplesPerGene', () => Float, { nullable: true, description: MIN_SAMPLES_PER_GENE })
    minSamplesPerGene: number | null | undefined,
    @Arg('minGeneCoverage', () => Float, { nullable: true, description: MIN_GENE_COVERAGE })
    minGeneCoverage: number | null | undefined,
    @Info() info: GraphQLResolveInfo,
  ): Promise<DistanceMatrix> {
    const whole = asksWholeMatrix(info);
    const view = await services.distances.matrix({
      genome,
      models,
      alleleLength,
      minSamplesPerGene,
      minGeneCoverage,
      whole,
    });
    onMatrix?.(view);
    return view;
  }

  @FieldResolver(() => [ModelCoverage], { description: "each row's evidence, in `models` order" })
  coverage(@Root() { evidence }: DistanceMatrix): ModelCoverage[] {
    return evidence.map((e) => coverageView(e.modelId, e.coverage));
  }

  @FieldResolver(() => [Exclusion], {
    description: 'models with samples left out for too little evidence (only without an explicit `models` list)',
  })
  excluded(@Root() { excluded }: DistanceMatrix): Exclusion[] {
    return excluded;
  }

  @FieldResolver(() => [ModelPair], {
    description: 'pairs that share no gene: their distance is unknown (null in `knownDistance`)',
  })
  unknownPairs(@Root() { unknownPairs, matrix }: DistanceMatrix): ModelPair[] {
    return unknownPairs.map(([i, j]) => ({ aId: matrix.modelIds[i], bId: matrix.modelIds[j] }));
  }

  @FieldResolver(() => [[Float]], {
    nullable: 'items',
    description:
      'Nei distance D, null for a pair that shares no gene (unknown; `distance` shows -ln(1e-10) there, the reference convention)',
  })
  knownDistance(@Root() { matrix, unknownPairs }: DistanceMatrix): (number | null)[][] {
    const n = matrix.modelIds.length;
    const d = distancesOf(matrix.similarity);
    const out = Array.from({ length: n }, (_, i): (number | null)[] => Array.from(d.subarray(i * n, (i + 1) * n)));
    for (const [i, j] of unknownPairs) {
      out[i][j] = null;
      out[j][i] = null;
    }
    return out;
  }

  @FieldResolver(() => [Model])
  models(@Root() { matrix }: DistanceMatrix, @Ctx() { loaders }: Context): Promise<Model[]> {
    return Promise.all(matrix.modelIds.map((id) => loaders.model.load(id)));
  }

  @FieldResolver(() => Int, { description: 'rows (= columns) of the matrix: the number of `models`' })
  size(@Root() { matrix }: DistanceMatrix): number {
    return matrix.modelIds.length;
  }

  @FieldResolver(() => [DistanceRow], {
    description:
      `rows offset .. offset + count - 1 (cut at the last row), for matrices too big to ask whole; ` +
      `count x size at most ${MAX_PAGE_CELLS.toLocaleString('en-US')}`,
  })
  rows(
    @Root() view: DistanceMatrix,
    @Ctx() { services }: Context,
    @Arg('offset', () => Int, { defaultValue: 0, description: 'the first row, from 0' }) offset: number,
    @Arg('count', () => Int, { description: 'how many rows' }) count: number,
  ): DistanceRow[] {
    return services.distances.rows(view, offset, count);
  }

  @FieldResolver(() => DistancePairConnection, {
    description:
      'the pairs (a before b in row order) with S >= minSimilarity, or D <= maxDistance (exactly one of the ' +
      'two), in row order; pairs sharing no gene are left out',
  })
  pairs(
    @Root() view: DistanceMatrix,
    @Ctx() { services }: Context,
    @Arg('minSimilarity', () => Float, { nullable: true }) minSimilarity: number | null | undefined,
    @Arg('maxDistance', () => Float, { nullable: true }) maxDistance: number | null | undefined,
    @Args(() => PairPageArgs) page: PageRequest,
  ): Promise<DistancePairConnection> {
    return services.distances.pairs(view, { minSimilarity, maxDistance }, page).then(toConnection);
  }

  @FieldResolver(() => [NearestModels], {
    description:
      `each model's k most similar other models (rows offset .. offset + count - 1; count x k at most ` +
      `${MAX_NEAREST_CELLS.toLocaleString('en-US')}), pairs sharing no gene left out`,
  })
  nearest(
    @Root() view: DistanceMatrix,
    @Ctx() { services }: Context,
    @Arg('k', () => Int, { description: `neighbors per model, 1 to ${MAX_NEAREST_K}` }) k: number,
    @Arg('offset', () => Int, { defaultValue: 0, description: 'the first row, from 0' }) offset: number,
    @Arg('count', () => Int, { nullable: true, description: 'how many rows (default: as many as the limit allows)' })
    count: number | null | undefined,
  ): NearestModels[] {
    return services.distances.nearest(view, k, offset, count);
  }

  @FieldResolver(() => [[Float]], { description: 'Nei identity S = J_AB / sqrt(J_A J_B)' })
  similarity(@Root() { matrix }: DistanceMatrix): number[][] {
    return rows(matrix.similarity, matrix.modelIds.length);
  }

  @FieldResolver(() => [[Float]], { description: 'Nei distance D = -ln(max(S, 1e-10))' })
  distance(@Root() { matrix }: DistanceMatrix): number[][] {
    return rows(distancesOf(matrix.similarity), matrix.modelIds.length);
  }

  @FieldResolver(() => String, {
    description:
      'the square PHYLIP distance-matrix text (strict layout); names are unique PHYLIP names of at most 10 ' +
      'characters, see `phylipNames`',
  })
  phylip(
    @Root() { matrix }: DistanceMatrix,
    @Ctx() { services }: Context,
    @Arg('digits', () => Int, { defaultValue: 6, description: 'decimals, 0 to 17' }) digits: number,
  ): Promise<string> {
    return services.distances.phylip(matrix, digits);
  }

  @FieldResolver(() => [PhylipName], { description: 'the name `phylip` gives each model, in row order' })
  phylipNames(@Root() { matrix }: DistanceMatrix, @Ctx() { services }: Context): Promise<PhylipName[]> {
    return services.distances.phylipNames(matrix);
  }

  @FieldResolver(() => String, {
    description: 'the PHYLIP name table as CSV (RFC 4180): phylip, id, name; to keep beside `phylip`',
  })
  phylipNamesCsv(@Root() { matrix }: DistanceMatrix, @Ctx() { services }: Context): Promise<string> {
    return services.distances.phylipNamesCsv(matrix);
  }

  @FieldResolver(() => String, { description: 'the distances as CSV (RFC 4180), rows and columns named by model' })
  csv(@Root() { matrix }: DistanceMatrix, @Ctx() { services }: Context): Promise<string> {
    return services.distances.csv(matrix);
  }
}

@Resolver(() => DistanceRow)
export class DistanceRowResolver {
  @FieldResolver(() => Model)
  model(@Root() { modelId }: DistanceRow, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(modelId);
  }
}

@Resolver(() => DistancePair)
export class DistancePairResolver {
  @FieldResolver(() => Model)
  a(@Root() { aId }: DistancePair, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(aId);
  }

  @FieldResolver(() => Model)
  b(@Root() { bId }: DistancePair, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(bId);
  }
}

@Resolver(() => MatrixNeighbor)
export class MatrixNeighborResolver {
  @FieldResolver(() => Model)
  model(@Root() { modelId }: MatrixNeighbor, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(modelId);
  }
}

@Resolver(() => NearestModels)
export class NearestModelsResolver {
  @FieldResolver(() => Model)
  model(@Root() { modelId }: NearestModels, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(modelId);
  }
}

@Resolver(() => PhylipName)
export class PhylipNameResolver {
  @FieldResolver(() => Model)
  model(@Root() { modelId }: PhylipName, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(modelId);
  }
}
