import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { IfExists } from '../common/if-exists';
import { ModelMode } from './model.type';

@InputType({ description: 'A model to register. Sampling settings default to the reference ones.' })
export class RegisterModelInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'a provider id (see `providers`), or "external"' })
  provider!: string;

  @Field(() => String, { nullable: true, description: 'required unless provider is "external"' })
  providerModel?: string | null;

  @Field(() => String, { nullable: true })
  family?: string | null;

  @Field(() => ModelMode, { nullable: true, defaultValue: ModelMode.CHAT })
  mode?: ModelMode | null;

  @Field(() => Float, { nullable: true, description: 'default 0.7 (reference)' })
  temperature?: number | null;

  @Field(() => Float, { nullable: true, description: 'default 1 (reference)' })
  topP?: number | null;

  @Field(() => Int, { nullable: true, description: 'default 5 (reference)' })
  maxTokens?: number | null;

  @Field(() => IfExists, {
    nullable: true,
    defaultValue: IfExists.FAIL,
    description: 'RETURN: answer the model already registered under this name when every setting is equal',
  })
  ifExists?: IfExists | null;
}

@InputType()
export class ModelFilter {
  @Field(() => String, { nullable: true })
  provider?: string | null;

  @Field(() => String, { nullable: true })
  family?: string | null;

  @Field(() => ModelMode, { nullable: true })
  mode?: ModelMode | null;

  @Field(() => String, { nullable: true, description: 'case-insensitive part of the name' })
  nameContains?: string | null;

  @Field(() => ID, { nullable: true, description: 'only models with samples on this genome' })
  genome?: string | null;
}
