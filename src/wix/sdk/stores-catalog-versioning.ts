export { catalogVersioning } from '@wix/stores';
