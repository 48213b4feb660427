/**
 * Web3j wrappers of CneMarket, CneCredit and CneCertificate, generated at build time from the
 * solc-js ABI/BIN by {@code org.web3j.codegen.SolidityFunctionWrapperGenerator}; never edited.
 */
package org.cnemarket.contracts.generated;
