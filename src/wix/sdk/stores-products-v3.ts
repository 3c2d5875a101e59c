export { productsV3 } from '@wix/stores';
