import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import type { BenchmarkRange } from '../../services/score-range';
import { MODEL_REFERENCE } from '../common/reference';

@InputType()
export class ScoreInput {
  @Field(() => ID, { description: MODEL_REFERENCE })
  model!: string;

  @Field(() => String, { description: 'e.g. ARC, HellaSwag, MMLU, TruthfulQA, Winogrande, GSM8K' })
  benchmark!: string;

  @Field(() => Float, { description: 'a finite number; Open LLM Leaderboard scores are scaled to [0, 1]' })
  value!: number;
}

/**
 * One class for the input (`ranges` of a write) and the output (`benchmarkRanges`): the same
 * three fields both ways.
 */
@ObjectType('BenchmarkRange', {
  description:
    "A benchmark's declared score range, stored with the write that declared it: later writes and imports are checked against it. Benchmarks without one have [0, 1].",
})
@InputType('BenchmarkRangeInput', {
  description: "A benchmark's declared score range; scores outside it are refused on write. Undeclared: [0, 1].",
})
export class BenchmarkRangeInput implements BenchmarkRange {
  @Field(() => String)
  benchmark!: string;

  @Field(() => Float)
  low!: number;

  @Field(() => Float)
  high!: number;
}
