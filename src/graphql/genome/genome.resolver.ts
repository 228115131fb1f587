import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { GENE_PAGE, type PageRequest } from '../../services/page';
import { toConnection } from '../common/connection';
import { PageArgs } from '../common/page.args';
import type { Context } from '../context';
import { CreateGenomeInput, DesignGenomeInput } from './genome.input';
import { BuiltinGenome, GeneConnection, Genome, GenomeDesign } from './genome.type';

const GenePage = PageArgs(GENE_PAGE);

@Resolver(() => Genome)
export class GenomeResolver {
  @Query(() => [Genome])
  genomes(@Ctx() { services }: Context): Promise<Genome[]> {
    return services.genomes.list();
  }

  @Query(() => Genome, { nullable: true, description: 'A genome by id or by name (give one).' })
  genome(
    @Ctx() { services }: Context,
    @Arg('id', () => ID, { nullable: true }) id?: string,
    @Arg('name', () => String, { nullable: true }) name?: string,
  ): Promise<Genome | null> {
    return services.genomes.find({ id, name });
  }

  @Mutation(() => Genome)
  createGenome(
    @Ctx() { services }: Context,
    @Arg('input', () => CreateGenomeInput) input: CreateGenomeInput,
  ): Promise<Genome> {
    return services.genomes.create(input);
  }

  @Mutation(() => Genome, {
    description:
      'A genome of `size` genes chosen from `from` for how well they reproduce its distances between `models` (greedy selection on the samples held); its provenance is in `design`.',
  })
  designGenome(
    @Ctx() { services }: Context,
    @Arg('input', () => DesignGenomeInput) input: DesignGenomeInput,
  ): Promise<Genome> {
    return services.genomeDesign.design(input);
  }

  @FieldResolver(() => GenomeDesign, {
    nullable: true,
    description: 'where a designed genome came from; null otherwise',
  })
  design(@Root() genome: Genome): GenomeDesign | null {
    return genome.design ? (JSON.parse(genome.design) as GenomeDesign) : null;
  }

  @Query(() => [BuiltinGenome], { description: 'Genomes shipped with the server (128 genes drawn with a fixed seed).' })
  builtinGenomes(@Ctx() { services }: Context): BuiltinGenome[] {
    return [...services.genomes.builtins()];
  }

  @Mutation(() => Genome, { description: 'Installs a shipped genome under its own name; returns it if already there.' })
  installBuiltinGenome(@Ctx() { services }: Context, @Arg('name', () => String) name: string): Promise<Genome> {
    return services.genomes.installBuiltin(name);
  }

  @Mutation(() => Genome, {
    description:
      'Deletes a genome with its genes, every sample on it and its jobs (running ones are stopped); returns it.',
  })
  deleteGenome(@Ctx() { services }: Context, @Arg('id', () => ID) id: string): Promise<Genome> {
    return services.removal.removeGenome(id);
  }

  @FieldResolver(() => GeneConnection)
  async genes(
    @Root() genome: Genome,
    @Ctx() { services }: Context,
    @Args(() => GenePage) page: PageRequest,
  ): Promise<GeneConnection> {
    const found = await services.genomes.genes(genome, page);
    return { ...toConnection(found), totalCount: found.totalCount };
  }
}
