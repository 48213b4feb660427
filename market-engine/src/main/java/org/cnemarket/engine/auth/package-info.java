/**
 * Sign-in with an Ethereum key (EIP-4361 message, EIP-191 signature) and the engine's ES256 JWTs.
 */
package org.cnemarket.engine.auth;
