package org.cnemarket.engine.auction;

class FastUniformAuctionTest extends UniformAuctionContract {
  @Override
  UniformAuction create() {
    return UniformAuction.fast();
  }
}
