import { registerEnumType } from 'type-graphql';

/** What `registerModel` and `createGenome` do with a name that is taken (services: `IfExists`). */
export enum IfExists {
  FAIL = 'FAIL',
  RETURN = 'RETURN',
}
registerEnumType(IfExists, {
  name: 'IfExists',
  description:
    'When the name is taken. FAIL: BAD_USER_INPUT. RETURN: the existing one when it is the same (every model setting; ' +
    'for a genome, its genes), otherwise CONFLICT naming what differs.',
});
