-- Statements DynamoDB's own PartiQL accepts (or rejects), run through
-- ExecuteStatement on DynamoDB Local and through ddbsql; the results must be
-- the same multiset of items (the same sequence with ORDER BY), or both must
-- fail. One statement per line.
SELECT * FROM "Users" WHERE "userId" = 'u001'
SELECT * FROM "Users" WHERE "userId" = 'nobody'
SELECT "email", "name" FROM "Users" WHERE "userId" = 'u002'
SELECT * FROM "Users" WHERE "userId" IN ['u001', 'u003', 'u010']
SELECT * FROM "Users"
SELECT "userId" FROM "Users" WHERE "active" = true
SELECT "userId" FROM "Users" WHERE "nickname" IS NULL
SELECT "userId" FROM "Users" WHERE "nickname" IS NOT NULL
SELECT "userId" FROM "Users" WHERE "nickname" IS MISSING
SELECT "userId" FROM "Users" WHERE "nickname" IS NOT MISSING
SELECT "userId" FROM "Users" WHERE begins_with("email", 'r')
SELECT "userId" FROM "Users" WHERE contains("roles", 'admin')
SELECT "userId" FROM "Users" WHERE contains("email", 'example')
SELECT "userId" FROM "Users" WHERE size("tags") > 1
SELECT "userId" FROM "Users" WHERE attribute_type("nickname", 'NULL')
SELECT "userId" FROM "Users" WHERE "loginCount" BETWEEN 100 AND 200
SELECT "userId" FROM "Users" WHERE "loginCount" > 100 AND "active" = false
SELECT "userId" FROM "Users" WHERE "loginCount" > 250 OR "status" = 'banned'
SELECT "userId" FROM "Users" WHERE NOT "active" = true
SELECT "userId" FROM "Users" WHERE "status" <> 'active'
SELECT "userId" FROM "Users" WHERE "status" != 'active'
SELECT "userId" FROM "Users" WHERE "userId" > 'u040'
SELECT "userId" FROM "Users" WHERE "profile"."address"."city" = 'Seattle'
SELECT "userId" FROM "Users" WHERE "tags"[0] = 'vip'
SELECT * FROM "Users"."EmailIndex" WHERE "email" = 'rosa.chen1@example.com'
SELECT * FROM "Orders" WHERE "customerId" = 'u001'
SELECT * FROM "Orders" WHERE "customerId" = 'u001' ORDER BY "orderId" DESC
SELECT * FROM "Orders" WHERE "customerId" = 'u001' ORDER BY "orderId" ASC
SELECT * FROM "Orders" WHERE "customerId" = 'u001' AND "orderId" > 'o0100'
SELECT * FROM "Orders" WHERE "customerId" = 'u001' AND "orderId" BETWEEN 'o0010' AND 'o0200'
SELECT * FROM "Orders" WHERE "customerId" = 'u001' AND begins_with("orderId", 'o00')
SELECT * FROM "Orders" WHERE "customerId" IN ['u001', 'u002'] AND "totalAmount" > 50
SELECT * FROM "Orders" WHERE "customerId" = 'u002' AND "orderId" = 'o0007'
SELECT "orderId", "totalAmount" FROM "Orders" WHERE "totalAmount" >= 100 AND "totalAmount" < 150
SELECT * FROM "Orders" WHERE "orderStatus" IS MISSING
SELECT * FROM "Orders"."OrderStatusIndex" WHERE "orderStatus" = 'PENDING'
SELECT * FROM "Orders"."OrderStatusIndex" WHERE "orderStatus" = 'SHIPPED' AND "createdAt" > '2024-01-01'
SELECT * FROM "Orders"."OrderStatusIndex" WHERE "orderStatus" = 'SHIPPED' ORDER BY "createdAt" DESC
SELECT * FROM "GameLeaderboards"."ScoreIndex" WHERE "gameId" = 'g1' AND "score" > 50000
SELECT * FROM "GameLeaderboards" WHERE "gameId" = 'g2' AND "score" < 0
SELECT "playerId", "score" FROM "GameLeaderboards" WHERE "gameId" = 'g3'
SELECT * FROM "IoTSensorData" WHERE "deviceId" = 'd03' AND "timestamp" BETWEEN 1717200000 AND 1717300000
SELECT * FROM "IoTSensorData" WHERE "deviceId" = 'd03' AND "timestamp" >= 1717200000 AND "timestamp" <= 1717300000
SELECT * FROM "IoTSensorData" WHERE "temperature" > 30.5
SELECT * FROM "Products" WHERE "price" > 100
SELECT * FROM "Products" WHERE "category" IN ['Games', 'Consoles']
SELECT * FROM "Products" WHERE contains("sizes", 'M')
SELECT * FROM "Products" WHERE "dimensions"."unit" = 'cm' AND "stock" = 0
SELECT * FROM "Sessions" WHERE "ttl" < 1800000000
SELECT * FROM "NoSuchTable"
SELECT * FROM "Users"."NoSuchIndex" WHERE "email" = 'x'
SELECT * FROM "Users" WHERE "userId" = 'u001' ORDER BY "email"
SELECT * FROM "Users" WHERE "userId" = 'u001' OR "userId" = 'u002'
SELECT "userId" FROM "Users" WHERE "userId" = 'u001' OR "email" = 'chloe.larsen2@example.com'
SELECT * FROM "Orders" WHERE "customerId" = 'u001' AND "orderId" IN ['o0002', 'o0004', 'o9999']
SELECT "orderId" FROM "Orders" WHERE "customerId" = 'u003' AND "orderStatus" IN ['PENDING', 'SHIPPED']
SELECT "orderId" FROM "Orders" WHERE "customerId" = 'u003' AND NOT ("orderStatus" = 'PENDING' OR "orderStatus" = 'SHIPPED')
SELECT "userId" FROM "Users" WHERE "loginCount" >= 200 AND ("status" = 'active' OR "active" = false)
SELECT * FROM "GameLeaderboards" WHERE "gameId" = 'g1' AND "score" BETWEEN 1000 AND 50000 AND contains("achievements", 'night-owl')
SELECT "deviceId", "timestamp" FROM "IoTSensorData" WHERE "deviceId" IN ['d01', 'd02'] AND "timestamp" > 1717800000
SELECT * FROM "Products" WHERE attribute_type("thumbnail", 'B')
SELECT * FROM "Products" WHERE size("images") >= 2 AND "price" < 50
SELECT "productId" FROM "Products" WHERE "name" = 'Racing Wheel' AND "featured" = true
SELECT * FROM "Orders" WHERE "customerId" = 'u001' AND "orderId" < 'o0050' ORDER BY "orderId" DESC
SELECT * FROM "Orders" WHERE "customerId" = 'u001' ORDER BY "totalAmount"
SELECT * FROM "Users" WHERE "userId" = 5
SELECT "userId" FROM "Users" WHERE "loginCount" NOT BETWEEN 100 AND 200
SELECT "userId" FROM "Users" WHERE NOT ("status" = 'active') AND NOT ("loginCount" > 100 AND "active" = true)
SELECT "userId" FROM "Users" WHERE ("loginCount" > 280 OR "loginCount" < 20) AND ("status" = 'active' OR "status" = 'inactive')
SELECT "profile"."address"."city" FROM "Users" WHERE "userId" = 'u001'
SELECT "tags"[0] FROM "Users" WHERE "userId" = 'u001'
