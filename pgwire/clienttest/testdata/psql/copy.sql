-- \copy runs COPY ... TO STDOUT on the server and writes what it receives.
\copy (SELECT userId, name FROM Users WHERE userId IN ('u001', 'u002') ORDER BY userId) to stdout with (format csv, header)
\copy (SELECT orderId FROM Orders WHERE customerId = 'u001' ORDER BY orderId LIMIT 2) to stdout csv
\copy {{.Table}} to '{{.File}}' with (format csv, header)
