// SPDX-License-Identifier: UNLICENSED
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {CneCredit} from "./CneCredit.sol";
import {CneCertificate} from "./CneCertificate.sol";

/**
 * @title CNE market
 * @notice The EVM system of record of the CNE market: participant registry (EIP-712 signed
 *         registrations, one role each), signed orders accepted in batches with one escrow lock
 *         per account, root-only settlement of
 *         batches, delivery reports proven against the stored root, reputation, and green
 *         certificates. The engine acts through OPERATOR_ROLE; auditors only read.
 *
 * Settlement is root-only: the chain stores the batch's Merkle root, trade count and hashes of
 * its inputs, outputs and full canonical data, and applies per-account net credit movements.
 * It writes nothing and emits nothing per trade; any trade is later proven against the root.
 */
contract CneMarket is AccessControl, EIP712 {
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant AUDITOR_ROLE = keccak256("AUDITOR_ROLE");
    bytes32 public constant PROVIDER_ROLE = keccak256("PROVIDER_ROLE");
    bytes32 public constant MICROGRID_ROLE = keccak256("MICROGRID_ROLE");
    bytes32 public constant USER_ROLE = keccak256("USER_ROLE");

    // Role codes of org.cnemarket.core.model.Role.
    uint8 internal constant ROLE_PROVIDER = 1;
    uint8 internal constant ROLE_MICROGRID = 2;
    uint8 internal constant ROLE_USER = 3;
    uint8 internal constant ROLE_AUDITOR = 4;
    uint8 internal constant ROLE_OPERATOR = 5;

    /// One packed order: kind 1, trader 20, slot 8, zone 4, quantity 8, price 8, source 1,
    /// greenBps 2, carbon 4, latency 4, nonce 8, expiry 8 bytes, then signature r 32, s 32, v 1.
    uint256 public constant PACKED_ORDER_BYTES = 141;

    bytes32 internal constant ORDER_TYPEHASH = keccak256(
        "Order(uint8 kind,address trader,uint64 slot,uint32 zone,uint64 quantity,uint64 priceMicros,"
        "uint8 source,uint16 greenBps,uint32 carbonMgPerKwh,uint32 latencyMs,uint64 nonce,uint64 expiry)"
    );
    bytes32 internal constant REGISTRATION_TYPEHASH =
        keccak256("Registration(address account,uint8 role,string name,uint64 nonce)");
    bytes32 internal constant CERTIFICATE_TRANSFER_TYPEHASH =
        keccak256("CertificateTransfer(address from,address to,uint64 slot,uint64 amountWh,uint64 nonce)");
    bytes32 internal constant CERTIFICATE_RETIRE_TYPEHASH =
        keccak256("CertificateRetire(address holder,uint64 slot,uint64 amountWh,uint64 nonce)");

    /// The EIP-712 Order, field for field.
    struct Order {
        uint8 kind;
        address trader;
        uint64 slot;
        uint32 zone;
        uint64 quantity;
        uint64 priceMicros;
        uint8 source;
        uint16 greenBps;
        uint32 carbonMgPerKwh;
        uint32 latencyMs;
        uint64 nonce;
        uint64 expiry;
    }

    /// A trade, field for field: keccak256(bytes.concat(keccak256(abi.encode(trade)))) is its Merkle leaf.
    struct Trade {
        bytes32 tradeId;
        uint64 round;
        uint64 slot;
        uint8 market;
        bytes32 buyOrderId;
        bytes32 sellOrderId;
        address buyer;
        address seller;
        uint64 quantity;
        uint64 priceMicros;
        uint64 amountMicros;
        uint64 greenWh;
        uint64 carbonMg;
    }

    struct BatchHeader {
        bytes32 batchId;
        uint64 round;
        uint64 slot;
        uint32 tradeCount;
        bytes32 merkleRoot;
        bytes32 inputsHash;
        bytes32 outputsHash;
        bytes32 dataHash; // keccak256 of the batch's canonical JSON
    }

    struct Batch {
        bytes32 merkleRoot;
        bytes32 inputsHash;
        bytes32 outputsHash;
        bytes32 dataHash;
        uint64 round;
        uint64 slot;
        uint32 tradeCount;
        uint64 blockNumber; // 0 = not settled
    }

    struct Participant {
        uint8 role;
        uint64 nonce;
        string name;
    }

    /// An accepted order batch: keccak256 of its packed orders, their count, the block it was accepted in.
    struct Acceptance {
        bytes32 dataHash;
        uint32 orderCount;
        uint64 blockNumber; // 0 = not accepted
        bool faulted; // a challenge proved a bad signature or a reused nonce in it
    }

    struct Delivery {
        uint64 deliveredQuantity;
        uint64 certifiedWh;
        bool reported;
    }

    struct Reputation {
        uint64 committed;
        uint64 delivered;
        uint64 successes;
        uint64 failures;
    }

    // ---- errors (decoded by the Java adapter into the ledger port's reason codes) ----
    error RoleViolation(address account, uint8 role);
    error BadSignature();
    error NonceUsed(address account, uint64 nonce);
    error UnknownParticipant(address account);
    error Overdraft(address account, uint256 neededMicros, uint256 availableMicros);
    error BatchConflict(bytes32 batchId);
    error BadProof(bytes32 batchId, bytes32 leaf);
    error DoubleClaim(address holder, uint64 slot, uint64 amountWh);
    error Invalid(string what);
    error NotFound(bytes32 id);

    // ---- events ----
    event ParticipantRegistered(address indexed account, uint8 role, string name, uint64 nonce);
    event Deposited(bytes32 indexed depositId, address indexed account, uint256 amountMicros);
    event OrdersAccepted(
        bytes32 indexed batchId, bytes32 dataHash, uint32 orderCount, uint32 accounts, uint256 lockedMicros
    );
    event OrderBatchFaulted(
        bytes32 indexed batchId, bytes32 indexed orderId, address indexed trader, address challenger
    );
    event BatchSettled(
        bytes32 indexed batchId,
        uint64 round,
        uint64 slot,
        bytes32 merkleRoot,
        bytes32 inputsHash,
        bytes32 outputsHash,
        bytes32 dataHash,
        uint32 tradeCount
    );
    event DeliveryReported(
        bytes32 indexed batchId, bytes32 indexed tradeId, address indexed seller, uint64 deliveredQuantity, uint64 certifiedWh
    );
    event CertificatesIssued(address indexed holder, uint64 indexed slot, uint64 amountWh, bytes32 tradeId);
    event CertificatesTransferred(address indexed from, address indexed to, uint64 slot, uint64 amountWh, uint64 nonce);
    event CertificatesRetired(address indexed holder, uint64 slot, uint64 amountWh, uint64 nonce);

    CneCredit public immutable credit;
    CneCertificate public immutable certificate;

    mapping(address => Participant) private _participants;
    mapping(bytes32 => bytes32) private _deposits; // depositId => keccak(account, amount)
    mapping(bytes32 => Acceptance) private _acceptances; // order batch id => acceptance
    mapping(bytes32 => Batch) private _batches;
    mapping(bytes32 => Delivery) private _deliveries;
    mapping(address => Reputation) private _reputation;
    mapping(address => mapping(uint64 => bytes32)) private _certOps; // holder => nonce => digest

    constructor(address admin, CneCredit credit_, CneCertificate certificate_) EIP712("CNE Market", "1") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(OPERATOR_ROLE, admin);
        credit = credit_;
        certificate = certificate_;
    }

    // =========================== participants ===========================

    /// Registers `account` from its own EIP-712 Registration signature. The same again is a no-op.
    function register(address account, uint8 role, string calldata name, uint64 nonce, bytes calldata signature)
        external
        onlyRole(OPERATOR_ROLE)
    {
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(REGISTRATION_TYPEHASH, account, role, keccak256(bytes(name)), nonce))
        );
        _requireSigner(digest, signature, account);
        if (role < ROLE_PROVIDER || role > ROLE_AUDITOR) {
            // operators are appointed by the admin, never self-registered
            revert RoleViolation(account, role);
        }
        Participant storage p = _participants[account];
        if (p.role != 0) {
            if (p.role == role && keccak256(bytes(p.name)) == keccak256(bytes(name))) {
                return;
            }
            revert RoleViolation(account, role);
        }
        p.role = role;
        p.nonce = nonce;
        p.name = name;
        _grantRole(_roleId(role), account);
        emit ParticipantRegistered(account, role, name, nonce);
    }

    function participantOf(address account) external view returns (uint8 role, string memory name, uint64 nonce) {
        Participant storage p = _participants[account];
        return (p.role, p.name, p.nonce);
    }

    // =========================== credits and orders ===========================

    /// Credits `amountMicros` to a registered account; idempotent on `depositId`.
    function deposit(bytes32 depositId, address account, uint256 amountMicros) external onlyRole(OPERATOR_ROLE) {
        bytes32 h = keccak256(abi.encode(account, amountMicros));
        bytes32 seen = _deposits[depositId];
        if (seen != bytes32(0)) {
            if (seen == h) {
                return;
            }
            revert Invalid("deposit id reused with other values");
        }
        if (_participants[account].role == 0) {
            revert UnknownParticipant(account);
        }
        if (amountMicros == 0) {
            revert Invalid("deposit amount must be positive");
        }
        _deposits[depositId] = h;
        credit.mint(account, amountMicros);
        emit Deposited(depositId, account, amountMicros);
    }

    function orderDigest(Order calldata o) public view returns (bytes32) {
        return _hashTypedDataV4(keccak256(abi.encode(ORDER_TYPEHASH, o)));
    }

    /**
     * Accepts a batch of signed orders in one transaction. `orders` is the batch's data: each
     * order packed in PACKED_ORDER_BYTES (its EIP-712 fields big-endian, then its 65-byte
     * signature r || s || v), grouped by trader in ascending address order. The chain stores
     * keccak256(orders) and the order count under `batchId` and, per trader, checks its role
     * against the kinds of orders it placed and locks the sum of its buy orders'
     * ceil(quantity * price / 1000) in escrow, in one lock per account.
     *
     * Signatures and nonces are not checked here (that is what makes a batch cheap); the signed
     * orders are in this transaction's calldata, so anyone can check them, and `challengeOrder` /
     * `challengeNonce` mark a batch as faulted on proof of a bad signature or a reused nonce.
     *
     * Returns false, changing nothing, when the same batch is already accepted; reverts
     * BatchConflict for other orders under a used batch id.
     */
    function acceptOrderBatch(bytes32 batchId, bytes calldata orders)
        external
        onlyRole(OPERATOR_ROLE)
        returns (bool accepted)
    {
        bytes32 dataHash = keccak256(orders);
        Acceptance storage a = _acceptances[batchId];
        if (a.blockNumber != 0) {
            if (a.dataHash == dataHash) {
                return false;
            }
            revert BatchConflict(batchId);
        }
        if (batchId == bytes32(0)) {
            revert Invalid("batch id is zero");
        }
        uint256 n = orders.length / PACKED_ORDER_BYTES;
        if (n == 0 || n * PACKED_ORDER_BYTES != orders.length || n > type(uint32).max) {
            revert Invalid("orders are not whole packed orders");
        }
        a.dataHash = dataHash;
        a.orderCount = uint32(n);
        a.blockNumber = uint64(block.number);
        (uint256 accounts, uint256 locked) = _lockPerAccount(orders, n);
        emit OrdersAccepted(batchId, dataHash, uint32(n), uint32(accounts), locked);
        return true;
    }

    function acceptanceOf(bytes32 batchId) external view returns (Acceptance memory) {
        return _acceptances[batchId];
    }

    /**
     * Anyone may prove that an accepted batch holds an order whose signature is not its trader's:
     * `orders` must be the batch's data (its hash is on chain). Marks the batch as faulted.
     */
    function challengeOrder(bytes32 batchId, bytes calldata orders, uint32 index) external {
        Acceptance storage a = _requireBatchData(batchId, orders, index);
        (Order memory o, bytes calldata signature) = _unpack(orders, index);
        bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(ORDER_TYPEHASH, o)));
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err == ECDSA.RecoverError.NoError && signer == o.trader && signer != address(0)) {
            revert Invalid("the order is signed by its trader");
        }
        a.faulted = true;
        emit OrderBatchFaulted(batchId, digest, o.trader, msg.sender);
    }

    /**
     * Anyone may prove that two different accepted orders share a trader and a nonce: marks the
     * batch of the second (`batchB`) as faulted. The orders may be in the same batch.
     */
    function challengeNonce(
        bytes32 batchA,
        bytes calldata ordersA,
        uint32 indexA,
        bytes32 batchB,
        bytes calldata ordersB,
        uint32 indexB
    ) external {
        _requireBatchData(batchA, ordersA, indexA);
        Acceptance storage b = _requireBatchData(batchB, ordersB, indexB);
        (Order memory oa,) = _unpack(ordersA, indexA);
        (Order memory ob,) = _unpack(ordersB, indexB);
        bytes32 da = _hashTypedDataV4(keccak256(abi.encode(ORDER_TYPEHASH, oa)));
        bytes32 db = _hashTypedDataV4(keccak256(abi.encode(ORDER_TYPEHASH, ob)));
        if (oa.trader != ob.trader || oa.nonce != ob.nonce || da == db) {
            revert Invalid("not two orders of one trader under one nonce");
        }
        b.faulted = true;
        emit OrderBatchFaulted(batchB, db, ob.trader, msg.sender);
    }

    // =========================== settlement ===========================

    /**
     * Settles a batch: stores its root, trade count and hashes, and applies per-account net
     * credit movements (sum spent == sum received; no escrow below zero). Returns false, changing
     * nothing, when the same batch is already settled; reverts BatchConflict for a different batch
     * under a used id.
     */
    function settleBatch(BatchHeader calldata h, CneCredit.Movement[] calldata moves)
        external
        onlyRole(OPERATOR_ROLE)
        returns (bool settled)
    {
        Batch storage b = _batches[h.batchId];
        if (b.blockNumber != 0) {
            if (
                b.merkleRoot == h.merkleRoot && b.dataHash == h.dataHash && b.inputsHash == h.inputsHash
                    && b.outputsHash == h.outputsHash && b.round == h.round && b.tradeCount == h.tradeCount
            ) {
                return false;
            }
            revert BatchConflict(h.batchId);
        }
        if (h.batchId == bytes32(0)) {
            revert Invalid("batch id is zero");
        }
        b.merkleRoot = h.merkleRoot;
        b.inputsHash = h.inputsHash;
        b.outputsHash = h.outputsHash;
        b.dataHash = h.dataHash;
        b.round = h.round;
        b.slot = h.slot;
        b.tradeCount = h.tradeCount;
        b.blockNumber = uint64(block.number);
        if (moves.length != 0) {
            credit.applySettlement(moves);
        }
        emit BatchSettled(
            h.batchId, h.round, h.slot, h.merkleRoot, h.inputsHash, h.outputsHash, h.dataHash, h.tradeCount
        );
        return true;
    }

    function batchOf(bytes32 batchId) external view returns (Batch memory) {
        return _batches[batchId];
    }

    /// True when the trade is in the settled batch's tree. The leaf is computed here from the
    /// trade's fields, never taken from the caller, so an inner node cannot pass as a leaf.
    function verifyTrade(bytes32 batchId, bytes32[] calldata proof, Trade calldata t) external view returns (bool) {
        Batch storage b = _batches[batchId];
        return b.blockNumber != 0 && MerkleProof.verifyCalldata(proof, b.merkleRoot, tradeLeaf(t));
    }

    /// The leaf of OpenZeppelin merkle-tree StandardMerkleTree (npm): hashed
    /// twice, so it differs from every inner node (a single keccak256 of 64 bytes).
    function tradeLeaf(Trade calldata t) public pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(t))));
    }

    // =========================== delivery, reputation, certificates ===========================

    /**
     * Records metered delivery of a settled trade proven against its batch root, at most once
     * per trade: updates the seller's reputation and issues green certificates (token id = slot)
     * to the buyer for the delivered share of the trade's green Wh.
     */
    function reportDelivery(bytes32 batchId, Trade calldata t, bytes32[] calldata proof, uint64 deliveredQuantity)
        external
        onlyRole(OPERATOR_ROLE)
        returns (uint64 certifiedWh, bool alreadyReported)
    {
        Batch storage b = _batches[batchId];
        if (b.blockNumber == 0) {
            revert NotFound(batchId);
        }
        bytes32 leaf = tradeLeaf(t);
        if (!MerkleProof.verifyCalldata(proof, b.merkleRoot, leaf)) {
            revert BadProof(batchId, leaf);
        }
        Delivery storage d = _deliveries[t.tradeId];
        if (d.reported) {
            return (d.certifiedWh, true);
        }
        if (deliveredQuantity > t.quantity) {
            revert Invalid("delivered more than traded");
        }
        certifiedWh = uint64(uint256(t.greenWh) * deliveredQuantity / t.quantity);
        d.deliveredQuantity = deliveredQuantity;
        d.certifiedWh = certifiedWh;
        d.reported = true;
        Reputation storage r = _reputation[t.seller];
        r.committed += t.quantity;
        r.delivered += deliveredQuantity;
        if (deliveredQuantity == t.quantity) {
            r.successes += 1;
        } else {
            r.failures += 1;
        }
        emit DeliveryReported(batchId, t.tradeId, t.seller, deliveredQuantity, certifiedWh);
        if (certifiedWh != 0) {
            certificate.issue(t.buyer, t.slot, certifiedWh);
            emit CertificatesIssued(t.buyer, t.slot, certifiedWh, t.tradeId);
        }
        return (certifiedWh, false);
    }

    function deliveryOf(bytes32 tradeId) external view returns (Delivery memory) {
        return _deliveries[tradeId];
    }

    function reputationOf(address provider) external view returns (Reputation memory) {
        return _reputation[provider];
    }

    /// Moves certificates on the holder's EIP-712 CertificateTransfer signature; idempotent on (from, nonce).
    function transferCertificates(
        address from,
        address to,
        uint64 slot,
        uint64 amountWh,
        uint64 nonce,
        bytes calldata signature
    ) external onlyRole(OPERATOR_ROLE) {
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(CERTIFICATE_TRANSFER_TYPEHASH, from, to, slot, amountWh, nonce))
        );
        _requireSigner(digest, signature, from);
        if (_useCertNonce(from, nonce, digest)) {
            return;
        }
        if (_participants[to].role == 0) {
            revert UnknownParticipant(to);
        }
        if (amountWh == 0) {
            revert Invalid("amount must be positive");
        }
        uint256 held = certificate.balanceOf(from, slot);
        if (held < amountWh) {
            revert Overdraft(from, amountWh, held);
        }
        certificate.marketTransfer(from, to, slot, amountWh);
        emit CertificatesTransferred(from, to, slot, amountWh, nonce);
    }

    /// Retires (claims) certificates on the holder's EIP-712 CertificateRetire signature; a Wh is claimed once.
    function retireCertificates(address holder, uint64 slot, uint64 amountWh, uint64 nonce, bytes calldata signature)
        external
        onlyRole(OPERATOR_ROLE)
    {
        bytes32 digest =
            _hashTypedDataV4(keccak256(abi.encode(CERTIFICATE_RETIRE_TYPEHASH, holder, slot, amountWh, nonce)));
        _requireSigner(digest, signature, holder);
        if (_useCertNonce(holder, nonce, digest)) {
            return;
        }
        if (amountWh == 0) {
            revert Invalid("amount must be positive");
        }
        if (certificate.balanceOf(holder, slot) < amountWh) {
            revert DoubleClaim(holder, slot, amountWh);
        }
        certificate.retire(holder, slot, amountWh);
        emit CertificatesRetired(holder, slot, amountWh, nonce);
    }

    function domainSeparator() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    // =========================== internals ===========================

    /**
     * Walks the packed orders (grouped by ascending trader) and, per trader, checks its role
     * against the kinds it placed and locks the sum of its buy orders' maximum cost.
     */
    function _lockPerAccount(bytes calldata orders, uint256 n) private returns (uint256 accounts, uint256 locked) {
        address current;
        uint256 kinds;
        uint256 lock;
        for (uint256 i = 0; i < n; ++i) {
            uint256 kind;
            address trader;
            uint256 quantity;
            uint256 price;
            assembly ("memory-safe") {
                let p := add(orders.offset, mul(i, PACKED_ORDER_BYTES))
                let w := calldataload(p)
                kind := shr(248, w)
                trader := and(shr(88, w), 0xffffffffffffffffffffffffffffffffffffffff)
                quantity := shr(192, calldataload(add(p, 33)))
                price := shr(192, calldataload(add(p, 41)))
            }
            if (i == 0 || trader != current) {
                if (i != 0) {
                    if (trader < current) {
                        revert Invalid("orders are not grouped by ascending trader");
                    }
                    _lockAccount(current, kinds, lock);
                    locked += lock;
                    ++accounts;
                }
                current = trader;
                kinds = 0;
                lock = 0;
            }
            if (kind > 3) {
                revert Invalid("unknown order kind");
            }
            if (quantity == 0 || price == 0) {
                revert Invalid("quantity and price must be positive");
            }
            kinds |= 1 << kind;
            if (kind == 1 || kind == 3) {
                // buy order: ceil(quantity * price / 1000); both < 2^64, so no overflow
                lock += (quantity * price + 999) / 1000;
            }
        }
        _lockAccount(current, kinds, lock);
        locked += lock;
        ++accounts;
    }

    function _lockAccount(address account, uint256 kinds, uint256 lock) private {
        uint8 role = _participants[account].role;
        if (role == 0) {
            revert UnknownParticipant(account);
        }
        if (kinds & ~_allowedKinds(role) != 0) {
            revert RoleViolation(account, role);
        }
        if (lock != 0) {
            uint256 avail = credit.balanceOf(account);
            if (avail < lock) {
                revert Overdraft(account, lock, avail);
            }
            credit.lock(account, lock);
        }
    }

    /// Bit k set = the role may place orders of kind k (org.cnemarket.core.model.OrderKind codes).
    function _allowedKinds(uint8 role) private pure returns (uint256) {
        if (role == ROLE_MICROGRID) return 1; // ENERGY_OFFER
        if (role == ROLE_PROVIDER) return 6; // ENERGY_BID, COMPUTE_OFFER
        if (role == ROLE_USER) return 8; // COMPUTE_DEMAND
        return 0;
    }

    function _requireBatchData(bytes32 batchId, bytes calldata orders, uint32 index)
        private
        view
        returns (Acceptance storage a)
    {
        a = _acceptances[batchId];
        if (a.blockNumber == 0) {
            revert NotFound(batchId);
        }
        if (keccak256(orders) != a.dataHash) {
            revert Invalid("not the batch's orders");
        }
        if (index >= a.orderCount) {
            revert Invalid("no order at this index");
        }
    }

    /// The order at `index` of packed batch data, and its signature.
    function _unpack(bytes calldata orders, uint32 index)
        private
        pure
        returns (Order memory o, bytes calldata signature)
    {
        bytes calldata r = orders[uint256(index) * PACKED_ORDER_BYTES:(uint256(index) + 1) * PACKED_ORDER_BYTES];
        o.kind = uint8(r[0]);
        o.trader = address(bytes20(r[1:21]));
        o.slot = uint64(bytes8(r[21:29]));
        o.zone = uint32(bytes4(r[29:33]));
        o.quantity = uint64(bytes8(r[33:41]));
        o.priceMicros = uint64(bytes8(r[41:49]));
        o.source = uint8(r[49]);
        o.greenBps = uint16(bytes2(r[50:52]));
        o.carbonMgPerKwh = uint32(bytes4(r[52:56]));
        o.latencyMs = uint32(bytes4(r[56:60]));
        o.nonce = uint64(bytes8(r[60:68]));
        o.expiry = uint64(bytes8(r[68:76]));
        signature = r[76:141];
    }

    /// Returns true when this exact instruction was already applied; reverts on a reused nonce.
    function _useCertNonce(address holder, uint64 nonce, bytes32 digest) private returns (bool) {
        bytes32 seen = _certOps[holder][nonce];
        if (seen == digest) {
            return true;
        }
        if (seen != bytes32(0)) {
            revert NonceUsed(holder, nonce);
        }
        _certOps[holder][nonce] = digest;
        return false;
    }

    function _requireSigner(bytes32 digest, bytes calldata signature, address expected) private pure {
        (address signer, ECDSA.RecoverError err,) = ECDSA.tryRecover(digest, signature);
        if (err != ECDSA.RecoverError.NoError || signer != expected || signer == address(0)) {
            revert BadSignature();
        }
    }

    function _roleId(uint8 role) private pure returns (bytes32) {
        if (role == ROLE_PROVIDER) return PROVIDER_ROLE;
        if (role == ROLE_MICROGRID) return MICROGRID_ROLE;
        if (role == ROLE_USER) return USER_ROLE;
        if (role == ROLE_AUDITOR) return AUDITOR_ROLE;
        return OPERATOR_ROLE;
    }
}
