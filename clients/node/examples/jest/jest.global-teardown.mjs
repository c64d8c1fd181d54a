export { globalTeardown as default } from 'rekognition-mock';
