#!/bin/sh
# Creates the DynamoDB Users table (partition key userId, on-demand) unless it exists.
# Settings: DYNAMODB_ENDPOINT, DYNAMODB_TABLE, and the AWS_* variables of the AWS CLI.
set -eu
if aws dynamodb describe-table --endpoint-url "$DYNAMODB_ENDPOINT" --table-name "$DYNAMODB_TABLE" > /dev/null 2>&1; then
  echo "table $DYNAMODB_TABLE exists"
  exit 0
fi
aws dynamodb create-table --endpoint-url "$DYNAMODB_ENDPOINT" --table-name "$DYNAMODB_TABLE" \
  --attribute-definitions AttributeName=userId,AttributeType=S --key-schema AttributeName=userId,KeyType=HASH \
  --billing-mode PAY_PER_REQUEST > /dev/null
echo "table $DYNAMODB_TABLE created"
