import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import type { ProviderCapabilitiesView, ProviderModelView, ProviderView } from '../../services/provider.service';
import type { ModelMode as ModeName } from '../../services/model.service';
import { ModelMode } from '../model/model.type';

@ObjectType({ description: 'A model a provider can offer, with its known lineage where the provider knows it.' })
export class ProviderModel implements ProviderModelView {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  family!: string | null;

  @Field(() => String, { nullable: true, description: 'the parent model (known for the simulated zoo)' })
  parent!: string | null;

  @Field(() => ModelMode)
  mode!: ModeName;
}

@ObjectType({ description: 'What a provider can do, declared by its plugin.' })
export class ProviderCapabilities implements ProviderCapabilitiesView {
  @Field(() => Int, { description: 'samples per request (OpenAI `n`)' })
  maxSamplesPerRequest!: number;

  @Field(() => [ModelMode])
  modes!: ModeName[];

  @Field(() => Int, { description: 'requests in flight at once' })
  maxConcurrency!: number;

  @Field(() => Float, { nullable: true })
  requestsPerMinute!: number | null;

  @Field(() => Float, { nullable: true })
  tokensPerMinute!: number | null;

  @Field(() => Boolean)
  supportsSeed!: boolean;
}

@ObjectType({ description: 'A provider plugin. Credentials are never shown.' })
export class Provider implements ProviderView {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Boolean, { description: 'false when a key or endpoint it needs is missing' })
  configured!: boolean;

  @Field(() => ProviderCapabilities)
  capabilities!: ProviderCapabilities;
}
