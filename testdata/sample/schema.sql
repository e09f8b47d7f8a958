-- Sample schema of a small online game shop.
CREATE TABLE IF NOT EXISTS Users (userId TEXT, email TEXT, PRIMARY KEY (userId), INDEX EmailIndex (email) ALL);
CREATE TABLE IF NOT EXISTS Orders (customerId TEXT, orderId TEXT, orderStatus TEXT, createdAt TEXT, PRIMARY KEY (customerId, orderId), INDEX OrderStatusIndex (orderStatus, createdAt) INCLUDE (customerId, totalAmount));
CREATE TABLE IF NOT EXISTS GameLeaderboards (gameId TEXT, playerId TEXT, score NUMERIC, PRIMARY KEY (gameId, playerId), LOCAL INDEX ScoreIndex (gameId, score) ALL);
CREATE TABLE IF NOT EXISTS IoTSensorData (deviceId TEXT, "timestamp" NUMERIC, PRIMARY KEY (deviceId, "timestamp"));
CREATE TABLE IF NOT EXISTS Sessions (sessionId TEXT, PRIMARY KEY (sessionId));
CREATE TABLE IF NOT EXISTS Products (productId TEXT, PRIMARY KEY (productId));
