export { collections } from '@wix/stores';
