/**
 * The entities' typed paths for `--fields`, generated from the SDK typings (entity-fields.generated.ts). Imported
 * only lazily, by a command that has `--fields` (src/wix/query-plan.ts checkListFields): the warm list never loads it.
 */
export { ENTITY_FIELDS } from './entity-fields.generated.js';
