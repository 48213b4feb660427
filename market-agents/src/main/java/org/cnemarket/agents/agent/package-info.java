/**
 * Agents that trade for participants: a provider buying energy for its forecast load and pricing
 * compute, a microgrid offering its forecast output (optionally through a battery), and a user
 * turning its scheduled jobs into compute demand. They emit unsigned market-core orders; signing
 * and sending is the caller's (the wallet live, the simulator in simulation).
 */
package org.cnemarket.agents.agent;
