/**
 * The engine checked with independent Ethereum tooling (ethers, OpenZeppelin merkle-tree, siwe) in
 * Node.
 */
package org.cnemarket.tests.interop;
