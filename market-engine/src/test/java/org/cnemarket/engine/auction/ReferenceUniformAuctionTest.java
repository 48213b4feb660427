package org.cnemarket.engine.auction;

class ReferenceUniformAuctionTest extends UniformAuctionContract {
  @Override
  UniformAuction create() {
    return UniformAuction.reference();
  }
}
