-- The address a visitor typed into the widget's feedback form: kept on the feedback, never an identity.
ALTER TABLE "widget_feedback" ADD COLUMN "email" text;
