import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ModelMode as ModeName, ModelView } from '../../services/model.service';
import { Connection } from '../common/connection';

export enum ModelMode {
  COMPLETION = 'COMPLETION',
  CHAT = 'CHAT',
}
registerEnumType(ModelMode, {
  name: 'ModelMode',
  description: 'COMPLETION: the gene is the prompt. CHAT: the gene is the single user message.',
});

@ObjectType({ description: 'A benchmark score of a model.' })
export class Score {
  modelId!: number;

  @Field(() => String)
  benchmark!: string;

  @Field(() => Float)
  value!: number;

  @Field(() => String)
  updatedAt!: string;
}

@ObjectType({ description: 'A taxon: one endpoint with its sampling settings.' })
export class Model implements ModelView {
  @Field(() => ID)
  id!: number;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'provider id, or "external" for imported samples only' })
  provider!: string;

  @Field(() => String, { nullable: true, description: "the provider's own model name" })
  providerModel!: string | null;

  @Field(() => String, { nullable: true })
  family!: string | null;

  @Field(() => ModelMode)
  mode!: ModeName;

  @Field(() => Float)
  temperature!: number;

  @Field(() => Float)
  topP!: number;

  @Field(() => Int)
  maxTokens!: number;

  @Field(() => String)
  createdAt!: string;
}

@ObjectType()
export class ModelConnection extends Connection(Model, 'Model') {
  totalCountOf!: () => Promise<number>;
}
