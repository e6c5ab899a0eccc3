// `builder build`: `image build` under the builder group, as in docker
export { spec } from '../image/build.js';
