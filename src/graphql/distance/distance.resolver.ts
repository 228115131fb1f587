import { Arg, Ctx, FieldResolver, Float, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { distancesOf } from '../../services/distance.service';
import type { Context } from '../context';
import { Model } from '../model/model.type';
import { DistanceMatrix, PhylipName } from './distance-matrix.type';
import { GENOME_REFERENCE, MODEL_REFERENCES } from '../common/reference';

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
    @Ctx() { services }: Context,
    @Arg('genome', () => ID, { description: GENOME_REFERENCE }) genome: string,
    @Arg('models', () => [ID], { nullable: true, description: MODEL_REFERENCES }) models: string[] | null | undefined,
    @Arg('alleleLength', () => Int, {
      defaultValue: 4,
      description: 'code points kept per allele; 4 is the reference, others are counted from the raw samples',
    })
    alleleLength: number,
  ): Promise<DistanceMatrix> {
    return services.distances.matrix({ genome, models, alleleLength });
  }

  @FieldResolver(() => [Model])
  models(@Root() { matrix }: DistanceMatrix, @Ctx() { loaders }: Context): Promise<Model[]> {
    return Promise.all(matrix.modelIds.map((id) => loaders.model.load(id)));
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

@Resolver(() => PhylipName)
export class PhylipNameResolver {
  @FieldResolver(() => Model)
  model(@Root() { modelId }: PhylipName, @Ctx() { loaders }: Context): Promise<Model> {
    return loaders.model.load(modelId);
  }
}
