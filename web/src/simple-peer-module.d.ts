// The prebuilt browser bundle of simple-peer needs no Node polyfills (RECIPES.md); it has the same API.
declare module 'simple-peer/simplepeer.min.js' { import SimplePeer from 'simple-peer'; export default SimplePeer; }
