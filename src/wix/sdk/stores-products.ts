export { products } from '@wix/stores';
