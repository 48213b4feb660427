/** EIP-712 typed-data hashing of orders and registrations, compatible with Ethereum wallets. */
package org.cnemarket.core.eip712;
