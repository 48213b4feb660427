/**
 * Energy double auctions per slot and zone: the uniform-price k-double auction (fast curve walk and
 * a naive reference), McAfee trade reduction, and the welfare-maximizing LP with green shares and
 * zone fees.
 */
package org.cnemarket.engine.auction;
