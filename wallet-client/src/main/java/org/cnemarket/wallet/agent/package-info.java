/**
 * Live trading agents: {@link org.cnemarket.wallet.agent.LiveAgent} bids every round for one
 * participant over the engine's REST API, with the bidding rules of the {@code market-agents}
 * module ({@link org.cnemarket.wallet.agent.AgentPolicy}) and the wallet's EIP-712 signing.
 */
package org.cnemarket.wallet.agent;
