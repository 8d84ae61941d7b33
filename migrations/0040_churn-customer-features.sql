-- The churn model's features of each customer as of the last refresh, read back to explain the risk.
ALTER TABLE "analytics_customers" ADD COLUMN "churn_features" real[];
