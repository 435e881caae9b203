// src/io/bundle/sign.ts names Web Crypto types that lib.dom declares; the server compiles without
// the DOM, so they come from Node's own Web Crypto here.
type CryptoKey = import('node:crypto').webcrypto.CryptoKey
type JsonWebKey = import('node:crypto').webcrypto.JsonWebKey
