package org.cnemarket.core.model;

/**
 * A registered participant: a secp256k1 key (its address) and one role.
 *
 * @param address lower-case 0x address
 * @param role what it may do
 * @param name a display name
 */
public record Participant(String address, Role role, String name) {}
